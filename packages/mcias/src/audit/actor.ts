/**
 * Actor is who asks for a change and from where, as the audit log records it: the account UUID
 * of the caller (absent for public calls and bootstrap) and the client address ('' if unknown).
 */
export interface Actor {
  readonly id?: string | undefined;
  readonly ip: string;
}

/** systemActor is the actor of bootstrap and CLI actions (`mcias init`). */
export const systemActor: Actor = Object.freeze({ ip: '' });
