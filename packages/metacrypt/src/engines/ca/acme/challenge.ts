import type { EngineHost } from '../../../engine/index.js';
import type { CaEngine } from '../ca-types.js';
import type { AcmeConfig } from './acme-config.js';
import { challengeObject } from './acme-objects.js';
import { AcmeProblem, toAcmeProblem } from './acme-problem.js';
import { authzStatus, settleOrder } from './acme-state.js';
import { AcmeStore, callerOfOwner, type AuthzRecord, type ChallengeRecord } from './acme-store.js';
import { accountOf, requireOwner, type AcmeCall, type AcmeReply } from './acme-call.js';
import { keyAuthorization, validateDns01, validateHttp01 } from './challenge-validation.js';
import { ValidationLimiter, type ValidationLimits } from './validation-limiter.js';

/**
 * challengeWaitMs bounds how long a challenge POST waits for its validation before answering
 * `processing`: a local validation takes milliseconds, so the answer (and a client's first poll)
 * usually already shows the challenge, authorization and order settled, and clients that sleep
 * before polling (certbot: 1 s, then 3 s while pending) finish sooner.
 */
export const challengeWaitMs = 3_000;

/** pendingRetryAfterSeconds is the Retry-After sent with a still-pending authorization or processing challenge (RFC 8555 §8.2). */
export const pendingRetryAfterSeconds = 1;

/** ChallengeCheck performs one validation; it resolves when the response proves control and throws an AcmeProblem otherwise. */
export type ChallengeCheck = (type: ChallengeRecord['type'], domain: string, token: string, keyAuthz: string) => Promise<void>;

/** ChallengeRunnerOptions tune the runner; tests pass a check that holds validations open. */
export interface ChallengeRunnerOptions {
  readonly limits?: ValidationLimits;
  readonly check?: ChallengeCheck;
}

/**
 * ChallengeRunner validates challenges: the challenge POST starts the validation and waits for it
 * up to challengeWaitMs; a slower one goes on in the background, the POST answers with the
 * challenge `processing`, and clients poll the authorization (RFC 8555 §7.5.1). The
 * result is written in one transaction that settles the challenge, its authorization and order.
 * If Metacrypt seals during a validation the result is dropped and the challenge stays
 * `processing`; posting to it again restarts the validation.
 *
 * Outbound validations are bounded by a ValidationLimiter (default 32 at once, 4 per account):
 * a validation over the limit waits for a slot with its challenge `processing`, and an account
 * with too many waiting is answered `rateLimited` (see checkCapacity).
 */
export class ChallengeRunner {
  readonly #host: EngineHost;
  readonly #config: AcmeConfig;
  readonly #running = new Map<string, Promise<void>>();
  readonly #limiter: ValidationLimiter;
  readonly #check: ChallengeCheck;

  constructor(host: EngineHost, config: AcmeConfig, opts: ChallengeRunnerOptions = {}) {
    this.#host = host;
    this.#config = config;
    this.#limiter = new ValidationLimiter(opts.limits);
    this.#check =
      opts.check ??
      ((type, domain, token, keyAuthz) =>
        type === 'http-01'
          ? validateHttp01(domain, token, keyAuthz, this.#config)
          : validateDns01(domain, keyAuthz, this.#config));
  }

  /** checkCapacity throws AcmeProblem `rateLimited` (429) when the account may start no more validations now. */
  checkCapacity(accountId: string): void {
    this.#limiter.checkCapacity(accountId);
  }

  /** isRunning reports whether a validation of the challenge is in flight. */
  isRunning(challengeId: string): boolean {
    return this.#running.has(challengeId);
  }

  /** start begins validating one challenge (no-op when it is already running) and returns its run, which never rejects. */
  start(mount: string, authz: AuthzRecord, challenge: ChallengeRecord, keyAuthz: string): Promise<void> {
    const running = this.#running.get(challenge.id);
    if (running) return running;
    const run = this.#limited(mount, authz, challenge, keyAuthz)
      .catch((err: unknown) => {
        this.#host.logger.error({ err, mount, challenge: challenge.id }, 'acme challenge validation crashed');
      })
      .finally(() => this.#running.delete(challenge.id));
    this.#running.set(challenge.id, run);
    return run;
  }

  /** drain drops the validations waiting for a slot and waits for the running ones (server shutdown); each is bounded by its timeout. */
  async drain(): Promise<void> {
    this.#limiter.clear();
    await Promise.allSettled([...this.#running.values()]);
  }

  async #limited(mount: string, authz: AuthzRecord, challenge: ChallengeRecord, keyAuthz: string): Promise<void> {
    const release = await this.#limiter.acquire(authz.accountId);
    // Dropped by drain: the challenge stays `processing` and a new POST restarts it.
    if (!release) return;
    try {
      await this.#validate(mount, authz, challenge, keyAuthz);
    } finally {
      release();
    }
  }

  async #validate(mount: string, authz: AuthzRecord, challenge: ChallengeRecord, keyAuthz: string): Promise<void> {
    const domain = authz.identifier.value;
    let error: AcmeProblem | undefined;
    try {
      await this.#check(challenge.type, domain, challenge.token, keyAuthz);
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
 * of a pending challenge of a pending authorization and waits for it up to `waitMs` (default
 * challengeWaitMs), so the answer is usually already `valid` or `invalid`. Posting again to a
 * settled or running challenge just returns it.
 */
export async function respondChallenge(
  call: AcmeCall,
  runner: ChallengeRunner,
  waitMs: number = challengeWaitMs,
): Promise<AcmeReply> {
  const account = accountOf(call);
  const authzId = call.store.authzIdOfChallenge(call.id);
  const authz = requireOwner(authzId === undefined ? undefined : call.store.authz(authzId), account, 'challenge');
  let challenge = authz.challenges.find((c) => c.id === call.id);
  if (!challenge) throw new AcmeProblem('malformed', 'no such challenge', 404);
  const ready = call.request.payload !== undefined;
  const restart = challenge.status === 'processing' && !runner.isRunning(challenge.id);
  if (ready && authzStatus(authz, call.now) === 'pending' && (challenge.status === 'pending' || restart)) {
    // Over the account's queue the challenge keeps its status and the client gets rateLimited.
    runner.checkCapacity(account.id);
    const processing: ChallengeRecord = { ...challenge, status: 'processing' };
    const updated = { ...authz, challenges: authz.challenges.map((c) => (c.id === call.id ? processing : c)) };
    call.store.putAuthz(updated);
    const run = runner.start(call.mount, updated, processing, keyAuthorization(processing.token, account.thumbprint));
    challenge = (await settledWithin(run, waitMs)) ? (settledChallenge(call, authz.id) ?? processing) : processing;
  }
  return {
    status: 200,
    body: challengeObject(call.urls, challenge),
    links: [{ url: call.urls.authz(authz.id), rel: 'up' }],
    ...(challenge.status === 'processing' ? { retryAfterSeconds: pendingRetryAfterSeconds } : {}),
  };
}

/** settledWithin resolves true when `run` finished within `ms`, false otherwise (the run goes on). */
async function settledWithin(run: Promise<void>, ms: number): Promise<boolean> {
  if (ms <= 0) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([run.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** settledChallenge re-reads the challenge after its validation; undefined when it cannot be read (e.g. sealed meanwhile). */
function settledChallenge(call: AcmeCall, authzId: string): ChallengeRecord | undefined {
  try {
    return call.store.authz(authzId)?.challenges.find((c) => c.id === call.id);
  } catch {
    return undefined;
  }
}
