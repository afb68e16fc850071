import { hashRaw, type Algorithm } from '@node-rs/argon2';

// @node-rs/argon2 declares Algorithm as an ambient const enum, which verbatimModuleSyntax cannot
// read at run time; 2 is its Argon2id member.
const argon2id = 2 as Algorithm;

/** KdfParams are the Argon2id costs, stored in the seal row so they can be tuned later. */
export interface KdfParams {
  /** iterations (t) */
  readonly time: number;
  /** memory in KiB (m) */
  readonly memoryKib: number;
  /** lanes (p) */
  readonly parallelism: number;
}

/**
 * deriveKWK turns the unseal password into the 32-byte key-wrapping key with Argon2id. It runs
 * on libuv's thread pool (hashRaw is async), so a slow derivation never blocks other requests.
 */
export async function deriveKWK(password: string, salt: Buffer, params: KdfParams): Promise<Buffer> {
  const out = await hashRaw(Buffer.from(password, 'utf8'), {
    algorithm: argon2id,
    salt,
    timeCost: params.time,
    memoryCost: params.memoryKib,
    parallelism: params.parallelism,
    outputLen: 32,
  });
  return Buffer.from(out);
}
