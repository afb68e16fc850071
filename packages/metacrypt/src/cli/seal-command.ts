import { apiClient, apiError, type TargetOptions } from './api-target.js';
import { readToken } from './init-command.js';

/** runSealCommand seals a running Metacrypt (zeroing its keys) with an MCIAS admin token from --token-file. */
export async function runSealCommand(
  opts: TargetOptions & { tokenFile: string },
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const token = await readToken(opts.tokenFile);
  const client = await apiClient(opts);
  try {
    const res = await client.request<{ state?: string }>('POST', '/v1/seal', { body: {}, token });
    if (res.status !== 200) throw apiError('seal', res);
    out.write(`metacrypt sealed; state: ${res.body.state ?? 'unknown'}\n`);
  } finally {
    client.close();
  }
}
