import { down } from '../launcher/down.js';
import { displayPath } from './service-table.js';

/** downHelp is the text after `mc down --help`. */
export const downHelp = `
Sends SIGTERM to the supervisor named in DIR/run/supervisor.pid, which stops the services in
reverse bootstrap order (SIGTERM, then SIGKILL after 10s), and waits until every process is
gone. Services left behind by a supervisor that was killed are found in DIR/run/children.json
and stopped directly. A stale pid file is removed. Data, certificates and secrets are kept.`;

/** runDown is `mc down`: stop every process `mc up` started for the directory. */
export async function runDown(options: { dir: string }): Promise<void> {
  const result = await down({ dir: options.dir });
  const where = displayPath(result.dir);
  const lines: string[] = [];
  if (result.supervisorPid !== null) lines.push(`stopped the platform in ${where} (supervisor pid ${result.supervisorPid})`);
  else if (result.stalePidFile) lines.push(`the platform in ${where} was not running; removed its stale pid file`);
  else lines.push(`the platform in ${where} was not running`);
  if (result.orphans.length > 0) lines.push(`stopped services its supervisor had left running: ${result.orphans.join(', ')}`);
  process.stdout.write(lines.join('\n') + '\n');
}
