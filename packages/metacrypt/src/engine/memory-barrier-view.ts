import type { BarrierView } from './barrier-view.js';

/**
 * memoryBarrierView is a BarrierView over a Map, for engine unit tests: same contract, no
 * encryption. Integration tests use the real barrier through startTestMetacrypt.
 */
export function memoryBarrierView(store: Map<string, Buffer> = new Map(), prefix = ''): BarrierView {
  const view: BarrierView = {
    get: (path) => {
      const v = store.get(prefix + path);
      return v === undefined ? undefined : Buffer.from(v);
    },
    put: (path, value) => void store.set(prefix + path, Buffer.from(value)),
    delete: (path) => void store.delete(prefix + path),
    list: (p) =>
      [...store.keys()]
        .filter((k) => k.startsWith(prefix + p))
        .map((k) => k.slice(prefix.length))
        .sort(),
    getJSON: <T>(path: string) => {
      const v = view.get(path);
      return v === undefined ? undefined : (JSON.parse(v.toString('utf8')) as T);
    },
    putJSON: (path, value) => view.put(path, Buffer.from(JSON.stringify(value), 'utf8')),
    transaction: (fn) => {
      const saved = new Map(store);
      try {
        return fn();
      } catch (err) {
        store.clear();
        for (const [k, v] of saved) store.set(k, v);
        throw err;
      }
    },
    sub: (p) => memoryBarrierView(store, prefix + p),
  };
  return view;
}
