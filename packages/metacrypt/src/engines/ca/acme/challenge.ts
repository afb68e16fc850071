import type { EngineHost } from '../../../engine/index.js';
import type { CaEngine } from '../ca-types.js';
import type { AcmeConfig } from './acme-config.js';
import { challengeObject } from './acme-objects.js';
import { AcmeProblem, toAcmeProblem } from './acme-problem.js';
import { authzStatus, settleOrder } from './acme-state.js';
import { AcmeStore, callerOfOwner, type AuthzRecord, type ChallengeRecord } from './acme-store.js';
import { accountOf, requireOwner, type AcmeCall, type AcmeReply } from './acme-call.js';
import { keyAuthorization, validateDns01, validateHttp01 } from './challenge-validation.js';

/**
 * ChallengeRunner validates challenges in the background: the challenge POST answers at once
 * with the challenge `processing`, and clients poll the authorization (RFC 8555 §7.5.1). The
 * result is written in one transaction that settles the challenge, its authorization and order.
 * If Metacrypt seals during a validation the result is dropped and the challenge stays
 * `processing`; posting to it again restarts the validation.
 */
export class ChallengeRunner {
  readonly #host: EngineHost;
  readonly #config: AcmeConfig;
  readonly #running = new Map<string, Promise<void>>();

  constructor(host: EngineHost, config: AcmeConfig) {
    this.#host = host;
    this.#config = config;
  }

  /** isRunning reports whether a validation of the challenge is in flight. */
  isRunning(challengeId: string): boolean {
    return this.#running.has(challengeId);
  }

  /** start begins validating one challenge (no-op when it is already running). */
  start(mount: string, authz: AuthzRecord, challenge: ChallengeRecord, keyAuthz: string): void {
    if (this.#running.has(challenge.id)) return;
    const run = this.#validate(mount, authz, challenge, keyAuthz).finally(() => this.#running.delete(challenge.id));
    this.#running.set(challenge.id, run);
  }

  /** drain waits for every running validation (server shutdown); each is bounded by its timeout. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#running.values()]);
  }

  async #validate(mount: string, authz: AuthzRecord, challenge: ChallengeRecord, keyAuthz: string): Promise<void> {
    const domain = authz.identifier.value;
    let error: AcmeProblem | undefined;
    try {
      if (challenge.type === 'http-01') await validateHttp01(domain, challenge.token, keyAuthz, this.#config);
      else await validateDns01(domain, keyAuthz, this.#config);
    } catch (err) {
      const { problem, internal } = toAcmeProblem(err);
      if (internal) this.#host.logger.error({ err, mount, challenge: challenge.id }, 'acme challenge validation failed');
      error = problem;
    }
    let engine: CaEngine;
    try {
      engine = this.#host.resolve<CaEngine>(mount, 'ca');
    } catch (err) {
      this.#host.logger.warn({ mount, challenge: challenge.id, err: (err as Error).message }, 'acme validation result dropped');
      return;
    }
    const store = new AcmeStore(engine.acmeStorage);
    const now = this.#host.now();
    const owner = store.view.transaction(() => {
      const current = store.authz(authz.id);
      const mine = current?.challenges.find((c) => c.id === challenge.id);
      if (!current || !mine || mine.status !== 'processing' || authzStatus(current, now) !== 'pending') return undefined;
      const settled: ChallengeRecord = error
        ? { ...mine, status: 'invalid', error: { ...error.document(), identifier: current.identifier } }
        : { ...mine, status: 'valid', validated: now.toISOString() };
      store.putAuthz({
        ...current,
        status: error ? 'invalid' : 'valid',
        challenges: current.challenges.map((c) => (c.id === mine.id ? settled : c)),
      });
      const order = store.order(current.orderId);
      if (order) settleOrder(store, order, now);
      return store.account(current.accountId)?.owner;
    });
    if (owner)
      this.#host.audit({
        caller: callerOfOwner(owner),
        action: 'acme.validate',
        mount,
        resource: `ca/${mount}/acme`,
        result: error ? 'deny' : 'allow',
        ...(error ? { reason: error.message } : {}),
        detail: { authz: authz.id, identifier: domain, type: challenge.type },
      });
  }
}

/**
 * respondChallenge answers chall/{id} (RFC 8555 §7.5.1): POST-as-GET reads the challenge; any
 * JSON object (normally `{}`) tells the server the client is ready, which starts the validation
 * of a pending challenge of a pending authorization. Posting again to a settled or running
 * challenge just returns it.
 */
export function respondChallenge(call: AcmeCall, runner: ChallengeRunner): AcmeReply {
  const account = accountOf(call);
  const authzId = call.store.authzIdOfChallenge(call.id);
  const authz = requireOwner(authzId === undefined ? undefined : call.store.authz(authzId), account, 'challenge');
  let challenge = authz.challenges.find((c) => c.id === call.id);
  if (!challenge) throw new AcmeProblem('malformed', 'no such challenge', 404);
  const ready = call.request.payload !== undefined;
  const restart = challenge.status === 'processing' && !runner.isRunning(challenge.id);
  if (ready && authzStatus(authz, call.now) === 'pending' && (challenge.status === 'pending' || restart)) {
    const processing: ChallengeRecord = { ...challenge, status: 'processing' };
    const updated = { ...authz, challenges: authz.challenges.map((c) => (c.id === call.id ? processing : c)) };
    call.store.putAuthz(updated);
    runner.start(call.mount, updated, processing, keyAuthorization(processing.token, account.thumbprint));
    challenge = processing;
  }
  return {
    status: 200,
    body: challengeObject(call.urls, challenge),
    links: [{ url: call.urls.authz(authz.id), rel: 'up' }],
  };
}
