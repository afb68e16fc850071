/**
 * StopSignal turns SIGINT, SIGTERM and SIGHUP into one AbortSignal, so stopping works the same
 * during startup and after it. The handlers stay installed until `dispose()`: a second Ctrl-C
 * while services shut down must not kill `mc` and orphan them, so it only prints a note.
 */
export interface StopSignal {
  readonly signal: AbortSignal;
  /** stopped resolves once a stop was asked for */
  readonly stopped: Promise<void>;
  dispose(): void;
}

/** watchStopSignals installs the handlers; `onStop` sees the first signal, `onRepeat` later ones. */
export function watchStopSignals(onStop: (signal: NodeJS.Signals) => void, onRepeat: () => void): StopSignal {
  const controller = new AbortController();
  let markStopped = (): void => undefined;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const handler = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      onRepeat();
      return;
    }
    onStop(signal);
    controller.abort();
    markStopped();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const name of signals) process.on(name, handler);
  return {
    signal: controller.signal,
    stopped,
    dispose: () => {
      for (const name of signals) process.off(name, handler);
    },
  };
}
