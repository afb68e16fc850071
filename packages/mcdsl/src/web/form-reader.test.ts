import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequestError } from '../errors/index.js';
import { createFormReader, routeParam } from './form-reader.js';

describe('createFormReader', () => {
  const form = createFormReader({ maxFieldLength: 16, maxValues: 3 });

  it('reads text fields, lists, repeated values and flags', () => {
    const body = { a: ' x ', tags: 'a, b\nc  ', roles: ['user', 'viewer'], one: 'admin', on: 'on', off: 'false' };
    assert.equal(form.field(body, 'a'), ' x ');
    assert.equal(form.field(body, 'missing'), '');
    assert.equal(form.field(undefined, 'a'), '');
    assert.deepEqual(form.list(body, 'tags'), ['a', 'b', 'c']);
    assert.deepEqual(form.list(body, 'missing'), []);
    assert.deepEqual(form.values(body, 'roles'), ['user', 'viewer']);
    assert.deepEqual(form.values(body, 'one'), ['admin']);
    assert.deepEqual(form.values(body, 'missing'), []);
    assert.equal(form.flag(body, 'on'), true);
    assert.equal(form.flag(body, 'off'), false);
    assert.equal(form.flag(body, 'missing'), false);
  });

  it("refuses repeated text fields and values over the reader's bounds, naming the field", () => {
    assert.throws(
      () => form.field({ a: ['1', '2'] }, 'a'),
      (err: unknown) => err instanceof InvalidRequestError && /a once/.test(err.message),
    );
    assert.equal(form.field({ a: 'x'.repeat(16) }, 'a').length, 16);
    assert.throws(() => form.field({ a: 'x'.repeat(17) }, 'a'), /field a is too long/);
    assert.throws(() => form.values({ r: ['1', '2', '3', '4'] }, 'r'), /field r has too many/);
    assert.throws(() => form.values({ r: ['x'.repeat(17)] }, 'r'), /field r/);
    assert.throws(() => createFormReader({ maxFieldLength: 8 }).list({ l: 'a,b,c,d,e' }, 'l'), /field l is too long/);
  });

  it('reads route parameters, empty when absent or not text', () => {
    assert.equal(routeParam({ mount: 'pki' }, 'mount'), 'pki');
    assert.equal(routeParam({ mount: 1 }, 'mount'), '');
    assert.equal(routeParam(undefined, 'mount'), '');
  });
});
