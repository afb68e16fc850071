import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PreconditionError } from '@metacircular/mcdsl';
import { allocatePorts, isPortFree } from './ports.js';

const dir = mkdtempSync(join(tmpdir(), 'mc-ports-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('allocatePorts gives distinct free loopback ports and keeps them on the next run', async () => {
  const file = join(dir, 'ports.json');
  const first = await allocatePorts(file, [
    { service: 'a', names: ['rest', 'grpc'] },
    { service: 'b', names: ['dns'], udp: ['dns'] },
  ]);
  const all = [first['a']?.['rest'], first['a']?.['grpc'], first['b']?.['dns']];
  assert.equal(new Set(all).size, 3);
  for (const port of all) assert.ok(port !== undefined && (await isPortFree(port, { udp: true })));
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), first);

  // b is not requested this time (say, not built): a keeps its ports and b's stay recorded.
  const second = await allocatePorts(file, [{ service: 'a', names: ['rest', 'grpc'] }]);
  assert.deepEqual(second, { a: first['a'] });
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), first);
});

test('a recorded port that is now taken is replaced', async () => {
  const file = join(dir, 'taken.json');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const busy = (server.address() as { port: number }).port;
  try {
    writeFileSync(file, JSON.stringify({ a: { rest: busy } }));
    assert.equal(await isPortFree(busy), false);
    const result = await allocatePorts(file, [{ service: 'a', names: ['rest'] }]);
    assert.notEqual(result['a']?.['rest'], busy);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a corrupt ports.json is reported with what to do', async () => {
  const file = join(dir, 'bad.json');
  writeFileSync(file, '{nope');
  await assert.rejects(allocatePorts(file, []), (err: unknown) => {
    assert.ok(err instanceof PreconditionError);
    assert.match(err.message, /bad\.json is not valid JSON; delete it and run mc up again/);
    return true;
  });
});
