import type { SupervisorEvent } from '../supervisor/supervisor-event.js';

/**
 * ProgressPrinter turns supervisor events into what the operator reads. While the platform
 * starts it writes one line per service ("starting mcias... healthy (0.4s)"); after `ready`
 * (or always, for a supervisor's log file) each event gets a timestamped line of its own.
 */
export class ProgressPrinter {
  readonly #out: NodeJS.WritableStream;
  #logStyle: boolean;
  #openLine: string | undefined;

  constructor(options: { out?: NodeJS.WritableStream; logStyle?: boolean } = {}) {
    this.#out = options.out ?? process.stdout;
    this.#logStyle = options.logStyle ?? false;
  }

  /** print writes one event; bind it (`e => printer.print(e)`) to use it as a listener. */
  print(event: SupervisorEvent): void {
    if (event.type === 'ready') {
      this.#closeLine();
      this.#logStyle = true;
      return;
    }
    if (this.#logStyle) {
      const text = describe(event);
      if (text !== undefined) this.#out.write(`[${new Date().toISOString()}] ${text}\n`);
      return;
    }
    switch (event.type) {
      case 'not-built':
        this.#line(`${event.service}: not built yet`);
        break;
      case 'starting':
        this.#closeLine();
        this.#out.write(
          event.attempt === 0
            ? `starting ${event.service}... `
            : `restarting ${event.service} (attempt ${event.attempt + 1})... `,
        );
        this.#openLine = event.service;
        break;
      case 'healthy':
        if (this.#openLine === event.service) {
          this.#out.write(`healthy (${seconds(event.elapsedMs)})\n`);
          this.#openLine = undefined;
        } else {
          this.#line(`${event.service} healthy (${seconds(event.elapsedMs)})`);
        }
        break;
      default: {
        const text = describe(event);
        if (text !== undefined) this.#line(text);
      }
    }
  }

  /** line writes a plain message, first ending any half-written progress line. */
  line(text: string): void {
    this.#line(text);
  }

  #line(text: string): void {
    this.#closeLine();
    this.#out.write(`${text}\n`);
  }

  #closeLine(): void {
    if (this.#openLine === undefined) return;
    this.#out.write('\n');
    this.#openLine = undefined;
  }
}

/** describe is the one-line text of an event, undefined for events with nothing to say. */
export function describe(event: SupervisorEvent): string | undefined {
  switch (event.type) {
    case 'not-built':
      return `${event.service}: not built yet`;
    case 'starting':
      return `starting ${event.service} (pid ${event.pid}${event.attempt === 0 ? '' : `, attempt ${event.attempt + 1}`})`;
    case 'healthy':
      return `${event.service} healthy (pid ${event.pid}, ${seconds(event.elapsedMs)})`;
    case 'exited':
      return `${event.service} exited (${event.signal ?? `code ${event.code}`})`;
    case 'restarting':
      return `restarting ${event.service} in ${seconds(event.delayMs)}`;
    case 'stopped':
      return `stopped ${event.service}`;
    case 'failed':
      return `failed: ${event.message}`;
    case 'ready':
      return 'all services are up';
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
