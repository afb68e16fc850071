/** ShutdownSignalOptions let tests and unusual hosts replace what the process would do. */
export interface ShutdownSignalOptions {
  /** default SIGINT and SIGTERM */
  readonly signals?: readonly NodeJS.Signals[];
  /** called with 1 on a second signal or a failed stop; default process.exit */
  readonly exit?: (code: number) => void;
  readonly log?: {
    info(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
}

/** ShutdownSignals is one installed set of signal handlers. */
export interface ShutdownSignals {
  /** resolves once `stop` has finished after the first signal */
  readonly stopped: Promise<void>;
  /** removes the handlers (the process then gets node's default behaviour again) */
  dispose(): void;
}

/**
 * onShutdownSignals runs `stop` once on the first SIGINT or SIGTERM; while it runs, a second
 * signal means the operator has given up waiting and the process exits with status 1 at once.
 * If `stop` fails the process also exits with status 1, since it cannot be trusted to be clean.
 * After a clean stop the handlers are removed and the process is left to end on its own.
 */
export function onShutdownSignals(stop: () => Promise<void>, opts: ShutdownSignalOptions = {}): ShutdownSignals {
  const signals = opts.signals ?? ['SIGINT', 'SIGTERM'];
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));

  const dispose = (): void => {
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (stopping) {
      opts.log?.error({ signal }, 'second signal during shutdown, exiting now');
      exit(1);
      return;
    }
    stopping = true;
    opts.log?.info({ signal }, 'shutting down');
    stop().then(
      () => {
        dispose();
        opts.log?.info({}, 'stopped');
        resolveStopped();
      },
      (err: unknown) => {
        opts.log?.error({ err }, 'shutdown failed');
        exit(1);
      },
    );
  }
  for (const signal of signals) process.on(signal, onSignal);
  return { stopped, dispose };
}
