import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRequestError, NotFoundError } from '@metacircular/mcdsl';
import { memoryBarrierView } from '../engine/index.js';
import { PolicyRuleStore } from './policy-rule-store.js';

const input = (name: string, priority: number) => ({
  name,
  priority,
  effect: 'allow',
  resources: ['transit/t/keys/*'],
  actions: ['encrypt'],
});

function setup() {
  const store = new Map<string, Buffer>();
  let clock = Date.parse('2030-01-01T00:00:00Z');
  const rules = new PolicyRuleStore(memoryBarrierView(store), () => new Date((clock += 1000)));
  return { store, rules };
}

describe('PolicyRuleStore', () => {
  it('creates rules with uuids and timestamps, stored as JSON at rules/{id}', () => {
    const { store, rules } = setup();
    const r = rules.create(input('a', 1));
    assert.match(r.id, /^[0-9a-f-]{36}$/);
    assert.equal(r.created_at, '2030-01-01T00:00:01.000Z');
    assert.equal(r.updated_at, r.created_at);
    assert.deepEqual(JSON.parse(store.get(`rules/${r.id}`)!.toString('utf8')), r);
    assert.deepEqual(rules.get(r.id), r);
  });

  it('lists in evaluation order', () => {
    const { rules } = setup();
    const low = rules.create(input('low', 1));
    const high = rules.create(input('high', 9));
    const deny = rules.create({ ...input('deny', 1), effect: 'deny' });
    assert.deepEqual(
      rules.list().map((r) => r.id),
      [high.id, deny.id, low.id],
    );
  });

  it('updates the whole rule, keeping id and created_at', () => {
    const { rules } = setup();
    const r = rules.create(input('a', 1));
    const u = rules.update(r.id, { ...input('b', 5), actions: ['decrypt'] });
    assert.equal(u.id, r.id);
    assert.equal(u.created_at, r.created_at);
    assert.notEqual(u.updated_at, r.updated_at);
    assert.deepEqual([u.name, u.priority, u.actions], ['b', 5, ['decrypt']]);
    assert.deepEqual(rules.get(r.id), u);
  });

  it('deletes, and answers NotFoundError for unknown or malformed ids', () => {
    const { rules } = setup();
    const r = rules.create(input('a', 1));
    rules.delete(r.id);
    assert.deepEqual(rules.list(), []);
    assert.throws(() => rules.get(r.id), NotFoundError);
    assert.throws(() => rules.delete(r.id), NotFoundError);
    assert.throws(() => rules.update(r.id, input('a', 1)), NotFoundError);
    assert.throws(() => rules.get('../sys/mounts/x'), NotFoundError);
  });

  it('bad input changes nothing', () => {
    const { store, rules } = setup();
    const r = rules.create(input('a', 1));
    const before = new Map(store);
    assert.throws(() => rules.create({ ...input('b', 1), effect: 'perhaps' }), InvalidRequestError);
    assert.throws(() => rules.update(r.id, { ...input('b', 1), resources: ['a//b'] }), InvalidRequestError);
    assert.deepEqual(store, before);
  });
});
