import { status } from '../launcher/status.js';
import { displayPath, renderServiceTable } from './service-table.js';

/** statusHelp is the text after `mc status --help`. */
export const statusHelp = `
Reads DIR/platform.json, checks that the recorded processes are alive and probes each
service's health endpoint (HTTPS against the platform's root CA). Writes nothing.
--json prints { dir, running, supervisor_pid, domain, ca_cert, admin, system_tokens (when
MCIAS is built: token file paths), services: { <name>: { state, pid, healthy, health,
<endpoints>... } } }.`;

/** runStatus is `mc status`: the platform's state as a table, or as JSON with --json. */
export async function runStatus(options: { dir: string; json?: boolean }): Promise<void> {
  const result = await status({ dir: options.dir });
  if (options.json === true) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const head = result.running ? `running (supervisor pid ${result.supervisor_pid ?? '?'})` : 'not running';
  process.stdout.write(
    [
      `platform in ${displayPath(result.dir)}: ${head}`,
      '',
      renderServiceTable(result.services),
      `Domain        ${result.domain}`,
      `Root CA       ${displayPath(result.ca_cert)}`,
      `Admin         ${result.admin.username}, password in ${displayPath(result.admin.password_file)}`,
    ].join('\n') + '\n',
  );
}
