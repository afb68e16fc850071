import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileExcludes, defaultExcludes } from './exclude-pattern.js';

describe('compileExcludes', () => {
  it('excludes the live database files and backups/ by default, at any depth', () => {
    const excluded = compileExcludes(defaultExcludes);
    for (const path of ['mcr.db', 'mcr.db-wal', 'mcr.db-shm', 'sub/other.db', 'mcr.db-journal']) {
      assert.ok(excluded(path, false), path);
    }
    assert.ok(excluded('backups', true));
    assert.ok(!excluded('backups', false), 'a file named backups is kept');
    for (const path of ['mcr.toml', 'certs/cert.pem', 'mcr.dbx', 'db', 'x.db.bak']) assert.ok(!excluded(path, false), path);
  });

  it('anchors patterns with a slash to the data directory', () => {
    const excluded = compileExcludes(['certs/*.tmp', '/cache/', 'logs/**/*.gz', 'a?c']);
    assert.ok(excluded('certs/x.tmp', false));
    assert.ok(!excluded('other/certs/x.tmp', false));
    assert.ok(!excluded('certs/sub/x.tmp', false), '* stays within a segment');
    assert.ok(excluded('cache', true));
    assert.ok(!excluded('sub/cache', true));
    assert.ok(excluded('logs/a.gz', false));
    assert.ok(excluded('logs/2024/01/a.gz', false));
    assert.ok(excluded('abc', false));
    assert.ok(excluded('dir/abc', false));
    assert.ok(!excluded('abbc', false));
  });

  it('treats regex characters literally and ignores blank patterns', () => {
    const excluded = compileExcludes(['(x)+.log', '  ']);
    assert.ok(excluded('(x)+.log', false));
    assert.ok(!excluded('xx.log', false));
    assert.ok(!excluded('anything', false));
  });
});
