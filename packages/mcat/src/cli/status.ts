import { loadMcatConfig } from '../config.js';
import { statusReport } from '../status-report.js';

/**
 * runStatus is `mcat status --config <path>`: one line per component ("mcat https://... ok"),
 * exit status 1 when either is not healthy.
 */
export async function runStatus(opts: { config: string }): Promise<void> {
  const config = loadMcatConfig(opts.config);
  const lines = await statusReport(config);
  for (const line of lines) process.stdout.write(`${line.name.padEnd(6)}${line.url}  ${line.detail}\n`);
  if (lines.some((line) => !line.ok)) process.exitCode = 1;
}
