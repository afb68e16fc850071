import { RateLimitedError } from '@metacircular/mcdsl';

/** UnsealThrottleOptions tune the failed-unseal limits; the defaults are spec §3.2's. */
export interface UnsealThrottleOptions {
  /** the clock, in ms (tests pass a frozen one) */
  readonly now?: () => number;
  /** wait after the first failure; doubles with each further failure (default 1 s) */
  readonly baseDelayMs?: number;
  /** longest wait between attempts (default 60 s) */
  readonly maxDelayMs?: number;
  /** most failed attempts within any minute (default 5) */
  readonly perMinute?: number;
}

const minute = 60_000;

/**
 * UnsealThrottle slows down password guessing: after n consecutive failures the next attempt
 * must wait base * 2^(n-1) (capped), and at most `perMinute` failures fit in any minute. It is
 * global, not per client: the barrier has one password, and a per-address limit would let an
 * attacker with many addresses guess faster. The cost is that someone spamming wrong passwords
 * delays the operator's unseal by at most a minute at a time (ARCHITECTURE.md).
 */
export class UnsealThrottle {
  readonly #now: () => number;
  readonly #base: number;
  readonly #max: number;
  readonly #perMinute: number;
  #failures: number[] = [];
  #consecutive = 0;

  constructor(opts: UnsealThrottleOptions = {}) {
    this.#now = opts.now ?? Date.now;
    this.#base = opts.baseDelayMs ?? 1000;
    this.#max = opts.maxDelayMs ?? minute;
    this.#perMinute = opts.perMinute ?? 5;
  }

  /** check throws RateLimitedError (429 / RESOURCE_EXHAUSTED) while an attempt must wait. */
  check(): void {
    const wait = this.waitMs();
    if (wait > 0) {
      throw new RateLimitedError(`too many failed unseal attempts; try again in ${Math.ceil(wait / 1000)} s`, {
        code: 'ERR_UNSEAL_RATE_LIMITED',
      });
    }
  }

  /** waitMs is how long until the next attempt is allowed (0 = now). */
  waitMs(): number {
    const now = this.#now();
    this.#failures = this.#failures.filter((t) => t > now - minute);
    let until = 0;
    const last = this.#failures[this.#failures.length - 1];
    if (this.#consecutive > 0 && last !== undefined) {
      until = last + Math.min(this.#base * 2 ** (this.#consecutive - 1), this.#max);
    }
    if (this.#failures.length >= this.#perMinute) {
      until = Math.max(until, (this.#failures[this.#failures.length - this.#perMinute] ?? now) + minute);
    }
    return Math.max(0, until - now);
  }

  /** failure records a wrong password. */
  failure(): void {
    this.#failures.push(this.#now());
    this.#consecutive += 1;
  }

  /** success ends the backoff (the minute's count of failures stays). */
  success(): void {
    this.#consecutive = 0;
  }
}
