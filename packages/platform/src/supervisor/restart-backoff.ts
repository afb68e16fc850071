/** BackoffOptions tune how fast a crashing service is restarted. */
export interface BackoffOptions {
  /** delay before the first restart; default 500 ms */
  readonly initialMs?: number;
  /** the delay doubles per consecutive crash up to this; default 30 s */
  readonly maxMs?: number;
  /** a run at least this long counts as recovered and resets the delay; default 60 s */
  readonly resetAfterMs?: number;
}

/**
 * RestartBackoff computes exponential restart delays: a service that crashes right away waits
 * 0.5 s, 1 s, 2 s, ... up to 30 s, so a crash loop neither spins the CPU nor floods its log,
 * while one that ran for a minute before failing is restarted quickly again.
 */
export class RestartBackoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #resetAfterMs: number;
  #failures = 0;

  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? 500;
    this.#maxMs = options.maxMs ?? 30_000;
    this.#resetAfterMs = options.resetAfterMs ?? 60_000;
  }

  /** next records one more crash after a run of `uptimeMs` and returns the delay to wait. */
  next(uptimeMs: number): { delayMs: number; attempt: number } {
    if (uptimeMs >= this.#resetAfterMs) this.#failures = 0;
    const delayMs = Math.min(this.#initialMs * 2 ** this.#failures, this.#maxMs);
    this.#failures += 1;
    return { delayMs, attempt: this.#failures };
  }
}
