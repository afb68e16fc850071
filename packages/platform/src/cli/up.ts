import { upDetached } from '../launcher/up-detached.js';
import { up } from '../launcher/up.js';
import type { PlatformFile } from '../platform-file.js';
import { platformLayout } from '../platform-layout.js';
import { ProgressPrinter } from './progress-printer.js';
import { dirFlag, displayPath, renderServiceTable } from './service-table.js';
import { watchStopSignals } from './stop-signal.js';

/** UpCommandOptions are the options of `mc up`. */
export interface UpCommandOptions {
  readonly dir: string;
  readonly domain?: string;
  readonly detach?: boolean;
}

/** upHelp is the text after `mc up --help`: what it writes and where. */
export const upHelp = `
Files (all under DIR, mode 0700 folders):
  platform.json               endpoints, pids, CA and admin paths (no secrets)
  ports.json                  the loopback port of every listener, reused on the next run
  pki/ca.pem                  the seed root CA certificate (ECDSA P-256, 10 years)
  secrets/ca.key              its private key (0600)
  secrets/admin.password      the generated admin password (0600); MCIAS's first admin
  secrets/mcias-master.key    the key MCIAS's vault opens with (0600), made once, never replaced
  secrets/<service>.token     each other service's MCIAS system-account token (0600)
  <service>/<service>.toml    each service's generated config (rewritten on every run)
  <service>/certs/{cert,key}.pem   each service's TLS certificate and key (0600)
  logs/<service>.log          each service's output; logs/supervisor.log with --detach
  run/supervisor.pid          the supervising process, for mc status and mc down

Running mc up again on the same DIR reuses the CA, the admin password, the MCIAS master key,
every still-valid system token and the ports.
Services whose package is not built yet are listed as "not built yet" and skipped.`;

/**
 * runUp is `mc up`: bring the platform up, print where everything is, then either stay in
 * the foreground supervising until Ctrl-C (default) or return with a detached supervisor.
 */
export async function runUp(options: UpCommandOptions): Promise<void> {
  const layout = platformLayout(options.dir);
  const printer = new ProgressPrinter();
  const domain = options.domain === undefined ? {} : { domain: options.domain };
  printer.line(`bringing up the platform in ${displayPath(layout.dir)}`);

  if (options.detach === true) {
    const { supervisorPid, file } = await upDetached({ dir: layout.dir, ...domain, onEvent: (e) => printer.print(e) });
    printer.print({ type: 'ready' });
    printSummary(file, `The platform runs in the background (supervisor pid ${supervisorPid}).`);
    return;
  }

  const stop = watchStopSignals(
    (signal) => printer.line(`\n${signal}: stopping the platform...`),
    () => printer.line('still stopping; services that do not exit get SIGKILL after 10s'),
  );
  // Keeps node alive while it waits for a signal, even with no service running.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    let supervisor;
    try {
      supervisor = await up({ dir: layout.dir, ...domain, signal: stop.signal, onEvent: (e) => printer.print(e) });
    } catch (err) {
      if (stop.signal.aborted) {
        printer.line('stopped before every service was up');
        return;
      }
      throw err;
    }
    printSummary(supervisor.file, 'Press Ctrl-C to stop everything.');
    await stop.stopped;
    await supervisor.stop();
    printer.line('stopped');
  } finally {
    clearInterval(keepAlive);
    stop.dispose();
  }
}

function printSummary(file: PlatformFile, howToStop: string): void {
  const flag = dirFlag(file.dir);
  const notBuilt = Object.values(file.services).some((entry) => entry.state === 'not_built');
  const lines = [
    '',
    renderServiceTable(file.services),
    `Root CA       ${displayPath(file.ca_cert)}   (trust it: curl --cacert ${displayPath(file.ca_cert)} ...)`,
    `Admin         ${file.admin.username}, password in ${displayPath(file.admin.password_file)}`,
    ...(file.system_tokens === undefined
      ? []
      : [`Tokens        ${displayPath(`${file.dir}/secrets`)}/<service>.token   (MCIAS system accounts)`]),
    `Endpoints     ${displayPath(`${file.dir}/platform.json`)}`,
    `Logs          ${displayPath(`${file.dir}/logs`)}/`,
    '',
    howToStop,
    'Next steps:',
    `  mc status${flag}        what runs and whether it is healthy`,
    `  mc down${flag}          stop every process mc started`,
  ];
  if (notBuilt) lines.push('  Services "not built yet" start once their packages are built (npm run build); run mc up again.');
  process.stdout.write(lines.join('\n') + '\n');
}
