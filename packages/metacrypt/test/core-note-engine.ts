// A small engine fixture for the core tests (not a mock of a service: a real engine module on
// the real barrier): mounts of type 'transit' that keep named notes. Its API borrows mcdsl's
// EchoService so no test-only proto is needed: CreateEcho {id: mount, text: name, tags: [value]}
// stores a note (policy action "write"), GetEcho {id: mount, text: name} reads it back in `text`
// (action "read"), DeleteEcho {id: mount} is unused. Core tests use it for mounts, policy,
// audit and encryption at rest without depending on the real engines.
import { callerOf, InvalidRequestError, registerService, UnauthenticatedError } from '@metacircular/mcdsl';
import { EchoService } from '@metacircular/proto/mcdsl/v1/echo_pb';
import type { BarrierView, Engine, EngineModule, MountInfo } from '../src/engine/index.js';

/** NoteEngine is the live engine of one note mount. */
export class NoteEngine implements Engine {
  readonly type = 'transit' as const;
  readonly mount: MountInfo;
  readonly view: BarrierView;
  sealed = false;

  constructor(mount: MountInfo, view: BarrierView) {
    this.mount = mount;
    this.view = view;
  }

  put(name: string, value: string): void {
    this.view.putJSON(`notes/${name}`, { value });
  }

  get(name: string): string | undefined {
    return this.view.getJSON<{ value: string }>(`notes/${name}`)?.value;
  }

  seal(): void {
    this.sealed = true;
  }
}

/** openedEngines records every engine the fixture opened, so tests can see seal() calls. */
export const openedEngines: NoteEngine[] = [];

/** noteModule is the fixture's EngineModule. */
export const noteModule: EngineModule = {
  provider: {
    type: 'transit',
    validateConfig(config) {
      const c = (config ?? {}) as Record<string, unknown>;
      for (const key of Object.keys(c)) {
        if (key !== 'label' && key !== 'fail_init') throw new InvalidRequestError(`config.${key} is not a note engine setting`);
      }
      if (c.label !== undefined && typeof c.label !== 'string') throw new InvalidRequestError('config.label must be a string');
      return { ...c };
    },
    initialize(mount, view) {
      view.putJSON('meta', { label: mount.config.label ?? '' });
      if (mount.config.fail_init === true) throw new InvalidRequestError('note engine asked to fail its initialization');
    },
    open(mount, view) {
      const engine = new NoteEngine(mount, view);
      openedEngines.push(engine);
      return engine;
    },
  },
  services: (host) => [
    registerService(EchoService, {
      createEcho(req, ctx) {
        const caller = callerOf(ctx);
        if (!caller) throw new UnauthenticatedError();
        const engine = host.resolve<NoteEngine>(req.id, 'transit');
        const op = host.context(caller, req.id);
        op.authorize('write', `transit/${req.id}/keys/${req.text}`);
        engine.put(req.text, req.tags[0] ?? '');
        op.note({ key: req.text });
        return { id: req.id, text: req.text };
      },
      getEcho(req, ctx) {
        const caller = callerOf(ctx);
        if (!caller) throw new UnauthenticatedError();
        const engine = host.resolve<NoteEngine>(req.id, 'transit');
        host.context(caller, req.id).authorize('read', `transit/${req.id}/keys/${req.text}`);
        return { id: req.id, text: engine.get(req.text) ?? '' };
      },
      updateEchoNote: () => ({}),
      clearEcho: () => ({}),
      deleteEcho: () => ({}),
    }),
  ],
  access: {
    '/mcdsl.v1.EchoService/GetEcho': { level: 'authenticated', unsealed: true },
    '/mcdsl.v1.EchoService/CreateEcho': { level: 'authenticated', unsealed: true },
    '/mcdsl.v1.EchoService/UpdateEchoNote': { level: 'admin', unsealed: true },
    '/mcdsl.v1.EchoService/ClearEcho': { level: 'admin', unsealed: true },
    '/mcdsl.v1.EchoService/DeleteEcho': { level: 'admin', unsealed: true },
  },
};
