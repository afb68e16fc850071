import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { formField, formFlag, formList, formValues } from './form-input.js';

describe('form input', () => {
  it('reads text fields, lists, repeated values and flags', () => {
    const body = {
      a: ' x ',
      tags: 'env:prod, team:a\nteam:b  ',
      roles: ['user', 'viewer'],
      one: 'admin',
      on: 'on',
      off: 'false',
    };
    assert.equal(formField(body, 'a'), ' x ');
    assert.equal(formField(body, 'missing'), '');
    assert.deepEqual(formList(body, 'tags'), ['env:prod', 'team:a', 'team:b']);
    assert.deepEqual(formList(body, 'missing'), []);
    assert.deepEqual(formValues(body, 'roles'), ['user', 'viewer']);
    assert.deepEqual(formValues(body, 'one'), ['admin']);
    assert.deepEqual(formValues(body, 'missing'), []);
    assert.equal(formFlag(body, 'on'), true);
    assert.equal(formFlag(body, 'off'), false);
    assert.equal(formFlag(body, 'missing'), false);
    assert.equal(formField(undefined, 'a'), '');
  });

  it('refuses repeated text fields and oversized values, naming the field', () => {
    assert.throws(
      () => formField({ a: ['1', '2'] }, 'a'),
      (err: unknown) => err instanceof InvalidRequestError && /a once/.test(err.message),
    );
    assert.throws(() => formField({ a: 'x'.repeat(8193) }, 'a'), /field a is too long/);
    assert.throws(() => formValues({ r: Array.from({ length: 257 }, () => 'x') }, 'r'), /field r/);
  });
});
