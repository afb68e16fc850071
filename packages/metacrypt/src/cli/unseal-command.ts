import { apiClient, apiError, type TargetOptions } from './api-target.js';
import { readUnsealPassword, type PasswordSource } from './password-input.js';

/** runUnsealCommand asks for the unseal password (no echo) and posts /v1/unseal. */
export async function runUnsealCommand(
  opts: TargetOptions & PasswordSource,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const password = await readUnsealPassword(opts, false);
  const client = await apiClient(opts);
  try {
    const res = await client.request<{ state?: string }>('POST', '/v1/unseal', { body: { password } });
    if (res.status !== 200) throw apiError('unseal', res);
    out.write(`metacrypt unsealed; state: ${res.body.state ?? 'unknown'}\n`);
  } finally {
    client.close();
  }
}
