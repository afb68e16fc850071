import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, secretFieldNames } from './index.js';

function capture(): { lines: string[]; stream: { write(line: string): void } } {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(line) } };
}

describe('createLogger', () => {
  it('writes JSON lines with time, level word, service and message', () => {
    const { lines, stream } = capture();
    const log = createLogger({ service: 'mcr', destination: stream });
    log.info({ repo: 'a/b' }, 'pushed');
    log.debug('not at info');
    assert.equal(lines.length, 1);
    const line = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    assert.equal(line.level, 'info');
    assert.equal(line.service, 'mcr');
    assert.equal(line.msg, 'pushed');
    assert.equal(line.repo, 'a/b');
    assert.ok(!Number.isNaN(Date.parse(String(line.time))));
  });

  it('honours the level', () => {
    const { lines, stream } = capture();
    const log = createLogger({ service: 's', level: 'debug', destination: stream });
    log.debug('shown');
    const quiet = createLogger({ service: 's', level: 'error', destination: stream });
    quiet.warn('hidden');
    assert.equal(lines.length, 1);
  });

  it('redacts secret fields at the top level, one and two levels down, and in children', () => {
    const { lines, stream } = capture();
    const log = createLogger({ service: 'mcias', destination: stream });
    const secrets: Record<string, string> = {};
    const top: Record<string, unknown> = {};
    const nested: Record<string, unknown> = {};
    for (const name of secretFieldNames) {
      top[name] = secrets[`top-${name}`] = `top-${name}-s3cr3t`;
      nested[name] = secrets[`nested-${name}`] = `nested-${name}-s3cr3t`;
    }
    log.info({ ...top, user: nested, username: 'alice' }, 'login');
    log.info(
      {
        req: { method: 'POST', headers: { authorization: 'Bearer eyJ-s3cr3t', cookie: 'session=abc-s3cr3t', host: 'x' } },
        res: { headers: { 'set-cookie': 'session=def-s3cr3t' } },
      },
      'request',
    );
    log.child({ component: 'barrier' }).warn({ unseal: { key: 'unseal-s3cr3t' }, private_key: 'pk-s3cr3t' }, 'child');

    const all = lines.join('');
    assert.equal(lines.length, 3);
    assert.ok(!all.includes('s3cr3t'), all);
    const first = JSON.parse(lines[0] ?? '') as Record<string, Record<string, unknown> | string>;
    assert.equal(first.password, '[redacted]');
    assert.equal(first.username, 'alice');
    assert.equal((first.user as Record<string, unknown>).totp_code, '[redacted]');
    const second = JSON.parse(lines[1] ?? '') as { req: { headers: Record<string, string> } };
    assert.equal(second.req.headers.authorization, '[redacted]');
    assert.equal(second.req.headers.host, 'x');
    const third = JSON.parse(lines[2] ?? '') as Record<string, unknown>;
    assert.equal(third.component, 'barrier');
    assert.equal(third.private_key, '[redacted]');
  });

  it('writes to a file path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcdsl-log-'));
    try {
      const path = join(dir, 'logs', 'svc.log');
      const log = createLogger({ service: 'svc', destination: path });
      log.info({ token: 'file-s3cr3t' }, 'to file');
      await new Promise<void>((resolve, reject) => log.flush((err) => (err ? reject(err) : resolve())));
      const text = readFileSync(path, 'utf8');
      assert.match(text, /"msg":"to file"/);
      assert.ok(!text.includes('file-s3cr3t'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
