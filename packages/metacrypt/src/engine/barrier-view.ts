/**
 * BarrierView is an engine's window on the barrier. Paths are relative to `engine/{mount}/`; every
 * value is sealed with the mount's DEK (AES-256-GCM) and bound to its full storage path as AAD, so
 * a value copied to another path fails to decrypt. Calls are synchronous (SQLite + node:crypto).
 */
export interface BarrierView {
  /** get returns the decrypted value, or undefined when nothing is stored at path */
  get(path: string): Buffer | undefined;
  put(path: string, value: Uint8Array): void;
  /** delete removes path; deleting a missing path is not an error */
  delete(path: string): void;
  /** list returns every stored path that starts with prefix (full relative paths), sorted */
  list(prefix: string): string[];
  getJSON<T>(path: string): T | undefined;
  putJSON(path: string, value: unknown): void;
  /** transaction runs fn atomically; nested calls join the outer transaction */
  transaction<T>(fn: () => T): T;
  /** sub returns the view of the paths under prefix (e.g. view.sub('acme/')) */
  sub(prefix: string): BarrierView;
}
