import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ServiceContext } from '../service-definition.js';
import { mcias, mciasMasterKeyFile } from './mcias.js';

const root = mkdtempSync(join(tmpdir(), 'mc-mcias-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('prepare makes the master key once (64 hex digits, 0600) and never replaces it', () => {
  const ctx = { secretsDir: root } as ServiceContext;
  const keyFile = mciasMasterKeyFile(ctx);
  assert.equal(keyFile, join(root, 'mcias-master.key'));
  mcias.prepare?.(ctx);
  const key = readFileSync(keyFile, 'utf8');
  assert.match(key, /^[0-9a-f]{64}\n$/);
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);

  // MCIAS refuses a key file others can read; a loosened one is tightened, and kept.
  chmodSync(keyFile, 0o644);
  mcias.prepare?.(ctx);
  assert.equal(readFileSync(keyFile, 'utf8'), key, 'the vault key is never regenerated');
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
});
