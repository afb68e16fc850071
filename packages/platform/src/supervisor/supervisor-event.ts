/**
 * SupervisorEvent is everything the supervisor reports, as plain JSON-safe objects: the CLI
 * prints them, tests wait on them, and a detached supervisor sends them to `mc up --detach`
 * over its IPC channel. `attempt` counts consecutive restarts (0 for the first start).
 */
export type SupervisorEvent =
  | { readonly type: 'not-built'; readonly service: string }
  | { readonly type: 'starting'; readonly service: string; readonly pid: number; readonly attempt: number }
  | { readonly type: 'healthy'; readonly service: string; readonly pid: number; readonly elapsedMs: number }
  | {
      readonly type: 'exited';
      readonly service: string;
      readonly pid: number | null;
      readonly code: number | null;
      readonly signal: string | null;
    }
  | { readonly type: 'restarting'; readonly service: string; readonly delayMs: number; readonly attempt: number }
  | { readonly type: 'stopped'; readonly service: string }
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string };

/** isSupervisorEvent checks a message from another process before it is trusted as an event. */
export function isSupervisorEvent(value: unknown): value is SupervisorEvent {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
