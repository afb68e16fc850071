import { AcmeProblem } from './acme-problem.js';

/** ValidationLimits bound the outbound HTTP-01/DNS-01 validations one Metacrypt process runs. */
export interface ValidationLimits {
  /** validations running at once, all accounts together */
  readonly global: number;
  /** validations running at once for one ACME account */
  readonly perAccount: number;
  /** validations one account may have waiting for a slot; beyond it the challenge POST is `rateLimited` */
  readonly queuedPerAccount: number;
}

/** defaultValidationLimits: 32 at once, 4 per account, 64 waiting per account. */
export const defaultValidationLimits: ValidationLimits = Object.freeze({ global: 32, perAccount: 4, queuedPerAccount: 64 });

interface Waiter {
  readonly account: string;
  readonly grant: (release: (() => void) | undefined) => void;
}

/**
 * ValidationLimiter hands out validation slots: at most `global` at once and `perAccount` per
 * ACME account. A request over either limit waits in a FIFO queue (the challenge stays
 * `processing`); the first waiter whose account has a free slot runs next, so one busy account
 * never blocks the others. An account with `queuedPerAccount` waiters already is refused at once
 * with `rateLimited`, which bounds the queue.
 */
export class ValidationLimiter {
  readonly #limits: ValidationLimits;
  #active = 0;
  readonly #activeBy = new Map<string, number>();
  readonly #queuedBy = new Map<string, number>();
  #queue: Waiter[] = [];

  constructor(limits: ValidationLimits = defaultValidationLimits) {
    this.#limits = limits;
  }

  /** active is the number of validations holding a slot. */
  get active(): number {
    return this.#active;
  }

  /** queued is the number of validations waiting for a slot. */
  get queued(): number {
    return this.#queue.length;
  }

  /** checkCapacity throws AcmeProblem `rateLimited` (429) when the account may queue no more validations. */
  checkCapacity(account: string): void {
    if ((this.#queuedBy.get(account) ?? 0) >= this.#limits.queuedPerAccount)
      throw new AcmeProblem(
        'rateLimited',
        `too many challenge validations in progress for this account (${this.#limits.perAccount} run at once, ` +
          `${this.#limits.queuedPerAccount} may wait); retry this challenge once some have finished`,
        429,
      );
  }

  /**
   * acquire resolves with the slot's release function once the account may run a validation, or
   * with undefined when clear() dropped the wait (shutdown). It throws like checkCapacity.
   */
  acquire(account: string): Promise<(() => void) | undefined> {
    if (this.#free(account)) return Promise.resolve(this.#take(account));
    this.checkCapacity(account);
    this.#queuedBy.set(account, (this.#queuedBy.get(account) ?? 0) + 1);
    return new Promise((grant) => this.#queue.push({ account, grant }));
  }

  /** clear resolves every waiter with undefined (they do not run); running validations keep their slots. */
  clear(): void {
    const queue = this.#queue;
    this.#queue = [];
    this.#queuedBy.clear();
    for (const w of queue) w.grant(undefined);
  }

  #free(account: string): boolean {
    return this.#active < this.#limits.global && (this.#activeBy.get(account) ?? 0) < this.#limits.perAccount;
  }

  #take(account: string): () => void {
    this.#active++;
    this.#activeBy.set(account, (this.#activeBy.get(account) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
      const left = (this.#activeBy.get(account) ?? 1) - 1;
      if (left === 0) this.#activeBy.delete(account);
      else this.#activeBy.set(account, left);
      this.#next();
    };
  }

  #next(): void {
    for (let i = 0; i < this.#queue.length && this.#active < this.#limits.global;) {
      const w = this.#queue[i]!;
      if (!this.#free(w.account)) {
        i++;
        continue;
      }
      this.#queue.splice(i, 1);
      const waiting = (this.#queuedBy.get(w.account) ?? 1) - 1;
      if (waiting === 0) this.#queuedBy.delete(w.account);
      else this.#queuedBy.set(w.account, waiting);
      w.grant(this.#take(w.account));
    }
  }
}
