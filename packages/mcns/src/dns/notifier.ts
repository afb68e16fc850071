import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import type { Logger } from '@metacircular/mcdsl';
import { canonicalAddress } from './address-list.js';
import { Flag, Opcode, QType } from './dns-constants.js';
import type { DnsEndpoint } from './dns-config.js';
import type { DnsZone } from './dns-store.js';
import { soaAnswer } from './record-data.js';
import { encodeResponse, questionBytes } from './response-writer.js';
import { matchesQuery } from './upstream-exchange.js';

/** NotifierOptions set where NOTIFY goes and how hard it tries. */
export interface NotifierOptions {
  readonly secondaries: readonly DnsEndpoint[];
  readonly logger: Logger;
  /** wait before each retry; its length bounds the attempts (default 1, 2, 4, 8 s: 5 tries) */
  readonly retryDelaysMs?: readonly number[];
  /** how long one attempt waits for the answer (default 2 s) */
  readonly attemptTimeoutMs?: number;
}

/**
 * Notifier tells every secondary over UDP that a zone changed (RFC 1996), so it asks for the
 * new SOA and transfers the zone at once instead of at its next refresh. Each (zone, secondary)
 * pair has at most one NOTIFY sequence running: a newer change replaces the older sequence,
 * which would only announce a serial already superseded. A sequence stops at the first answer
 * from the secondary's address and port with our ID and question (whatever its rcode), or after
 * the last retry.
 */
export class Notifier {
  readonly #options: NotifierOptions;
  readonly #running = new Map<string, AbortController>();

  /** Notifier does no I/O until a zone changes. */
  constructor(options: NotifierOptions) {
    this.#options = options;
  }

  /** notify starts (or restarts) the NOTIFY sequence of `zone` to every secondary. */
  notify(zone: DnsZone): void {
    for (const target of this.#options.secondaries) {
      const key = `${zone.name}\0${target.host}\0${target.port}`;
      this.#running.get(key)?.abort();
      const controller = new AbortController();
      this.#running.set(key, controller);
      void this.#sequence(zone, target, controller.signal).finally(() => {
        if (this.#running.get(key) === controller) this.#running.delete(key);
      });
    }
  }

  /** close stops every sequence. */
  close(): void {
    for (const controller of this.#running.values()) controller.abort();
    this.#running.clear();
  }

  async #sequence(zone: DnsZone, target: DnsEndpoint, signal: AbortSignal): Promise<void> {
    const delays = this.#options.retryDelaysMs ?? [1000, 2000, 4000, 8000];
    const log = this.#options.logger;
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0) await sleep(delays[attempt - 1]!, signal);
      if (signal.aborted) return;
      const rcode = await this.#attempt(zone, target, signal);
      if (rcode !== undefined) {
        const fields = { zone: zone.name, serial: zone.serial, secondary: `${target.host}:${target.port}`, rcode };
        if (rcode === 0) log.info(fields, 'dns: notify acknowledged');
        else log.warn(fields, 'dns: notify answered with an error');
        return;
      }
    }
    log.warn({ zone: zone.name, secondary: `${target.host}:${target.port}` }, 'dns: notify got no answer; giving up');
  }

  #attempt(zone: DnsZone, target: DnsEndpoint, signal: AbortSignal): Promise<number | undefined> {
    const { message, questionLength } = notifyMessage(zone);
    const expected = canonicalAddress(target.host);
    return new Promise((resolve) => {
      const socket = dgram.createSocket(isIP(target.host) === 6 ? 'udp6' : 'udp4');
      let done = false;
      const finish = (rcode: number | undefined): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.close();
        resolve(rcode);
      };
      const onAbort = (): void => finish(undefined);
      const timer = setTimeout(() => finish(undefined), this.#options.attemptTimeoutMs ?? 2000);
      signal.addEventListener('abort', onAbort);
      socket.on('error', () => finish(undefined));
      socket.on('message', (reply, rinfo) => {
        // Only the secondary itself may end the sequence: an answer from elsewhere with a guessed
        // ID would otherwise silence the NOTIFY and leave the secondary on the old serial.
        if (rinfo.port !== target.port || canonicalAddress(rinfo.address) !== expected) return;
        if (matchesQuery(reply, message, questionLength)) finish(reply[3]! & 0xf);
      });
      socket.send(message, target.port, target.host);
    });
  }
}

/** notifyMessage is a NOTIFY for `zone` with its current SOA in the answer section (RFC 1996 3.7). */
export function notifyMessage(zone: DnsZone): { message: Buffer; questionLength: number } {
  const question = questionBytes(zone.name, QType.SOA);
  const flags = (Opcode.NOTIFY << 11) | Flag.AA;
  const message = encodeResponse({ id: randomInt(0, 0x10000), flags, rcode: 0, question, answers: [soaAnswer(zone)] });
  message[2]! &= 0x7f; // a request: clear the QR bit encodeResponse sets
  return { message, questionLength: question.length };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
