import { apiClient, errorText, type TargetOptions } from './api-target.js';

/** StatusReport is what `metacrypt status --json` prints. */
export interface StatusReport {
  readonly addr: string;
  /** "uninitialized", "sealed", "unsealed", or "unreachable" */
  readonly state: string;
  readonly version: string;
  /** "ok", "unhealthy" or "unreachable" */
  readonly health: string;
  readonly error?: string;
}

/**
 * runStatusCommand asks a running server for /v1/status and /v1/health and prints the state.
 * Exit code: 0 when unsealed and healthy, 2 when sealed or uninitialized, 1 when unreachable.
 */
export async function runStatusCommand(
  opts: TargetOptions & { json?: boolean },
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const client = await apiClient(opts);
  let report: StatusReport;
  try {
    const status = await client.request<{ state?: string; version?: string }>('GET', '/v1/status');
    const health = await client.request<{ status?: string }>('GET', '/v1/health');
    report = {
      addr: opts.addr ?? '',
      state: status.body?.state ?? 'unknown',
      version: status.body?.version ?? '',
      health: health.body?.status ?? (health.status === 200 ? 'ok' : 'unhealthy'),
    };
  } catch (err) {
    report = { addr: opts.addr ?? '', state: 'unreachable', version: '', health: 'unreachable', error: errorText(err) };
  } finally {
    client.close();
  }
  if (opts.json) out.write(JSON.stringify(report, null, 2) + '\n');
  else {
    out.write(`state:   ${report.state}\nhealth:  ${report.health}\nversion: ${report.version || '-'}\n`);
    if (report.error) out.write(`error:   ${report.error}\n`);
  }
  if (report.state === 'unreachable') return 1;
  return report.state === 'unsealed' && report.health === 'ok' ? 0 : 2;
}
