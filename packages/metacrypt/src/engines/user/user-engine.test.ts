import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createLogger,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
  PreconditionError,
  SealedError,
} from '@metacircular/mcdsl';
import { memoryBarrierView, type AuditDetail, type OpContext } from '../../engine/index.js';
import { evaluatePolicy, type PolicyRule } from '../../policy/index.js';
import type { Envelope } from './envelope.js';
import { UserEngine } from './user-engine.js';
import { userProvider } from './user-provider.js';

const mount = { name: 'u2u', type: 'user' as const, config: { key_type: 'x25519' }, createdAt: new Date(0) };
// Everyone with role `user` may encrypt and decrypt on the mount (the POLICY.md pattern).
const rules: PolicyRule[] = [
  {
    id: 'r1',
    name: 'u2u for users',
    priority: 0,
    effect: 'allow',
    usernames: [],
    roles: ['user'],
    account_types: [],
    resources: ['user/*'],
    actions: ['encrypt', 'decrypt'],
    created_at: '2030-01-01T00:00:00Z',
    updated_at: '2030-01-01T00:00:00Z',
  },
];

function setup() {
  const store = new Map<string, Buffer>();
  const engine = new UserEngine(mount, memoryBarrierView(store), {
    now: () => new Date('2030-01-01T00:00:00Z'),
    logger: createLogger({ service: 'test', level: 'error' }),
  });
  const notes: AuditDetail[] = [];
  const as = (username: string, roles: string[] = ['user']): OpContext => {
    const caller = { username, roles, accountType: 'human', isAdmin: roles.includes('admin'), isGuest: false, token: 't' };
    return {
      caller,
      mount: mount.name,
      authorize: (action, resource, request) => {
        const d = evaluatePolicy(rules, caller, action, resource, request);
        if (!d.allowed) throw new ForbiddenError(d.reason);
      },
      note: (detail) => void notes.push(detail),
    };
  };
  return { store, engine, notes, as };
}

const text = (s: string) => Buffer.from(s, 'utf8');

describe('UserEngine', () => {
  it('register is idempotent and stores the private key only in the barrier', () => {
    const { store, engine, as } = setup();
    const first = engine.register(as('alice'));
    const again = engine.register(as('alice'));
    assert.equal(first.version, 1);
    assert.deepEqual(again, first);
    assert.equal(first.publicKey.length, 32);
    assert.deepEqual([...store.keys()].sort(), ['private/alice/1', 'users/alice']);
    assert.equal(store.get('private/alice/1')?.length, 32);
    assert.ok(!store.get('users/alice')!.toString('utf8').includes('private'));
  });

  it('round-trips to two recipients, and the sender cannot read unless listed', () => {
    const { engine, as, notes } = setup();
    for (const u of ['alice', 'bob', 'carol']) engine.register(as(u));
    const { envelope, messageId } = engine.encrypt(as('alice'), ['bob', 'carol'], text('hello both'));
    for (const u of ['bob', 'carol']) {
      const m = engine.decrypt(as(u), envelope);
      assert.equal(m.plaintext.toString('utf8'), 'hello both');
      assert.deepEqual([m.sender, m.messageId], ['alice', messageId]);
    }
    assert.throws(() => engine.decrypt(as('alice'), envelope), ForbiddenError);
    // Audit details name the message and its recipients, never its content.
    assert.ok(notes.some((n) => n['message_id'] === messageId));
    assert.ok(!JSON.stringify(notes).includes('hello'));
  });

  it('refuses a non-recipient admin: there is no admin bypass on decrypt', () => {
    const { engine, as } = setup();
    for (const u of ['alice', 'bob', 'root']) engine.register(as(u));
    const { envelope } = engine.encrypt(as('alice'), ['bob'], text('secret'));
    assert.throws(() => engine.decrypt(as('root', ['admin']), envelope), /only the recipients .*\(admins included\)/);
  });

  it('an admin who is a recipient decrypts (policy bypass, recipient check kept)', () => {
    const { engine, as } = setup();
    for (const u of ['alice', 'root']) engine.register(as(u));
    const { envelope } = engine.encrypt(as('alice'), ['root'], text('for the operator'));
    assert.equal(engine.decrypt(as('root', ['admin']), envelope).plaintext.toString(), 'for the operator');
  });

  it('checks policy for encrypt and decrypt', () => {
    const { engine, as } = setup();
    engine.register(as('alice'));
    engine.register(as('svc', []));
    assert.throws(
      () => engine.encrypt(as('svc', []), ['alice'], text('x')),
      /no policy rule allows action "encrypt" on "user\/u2u"/,
    );
    const { envelope } = engine.encrypt(as('alice'), ['svc'], text('x'));
    assert.throws(() => engine.decrypt(as('svc', []), envelope), /action "decrypt"/);
  });

  it('rejects every tampered field', () => {
    const { engine, as } = setup();
    for (const u of ['alice', 'bob', 'carol']) engine.register(as(u));
    const { envelope } = engine.encrypt(as('alice'), ['bob', 'carol'], text('do not touch'));
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes.toString('base64');
    };
    const changes: Array<(e: Envelope) => void> = [
      (e) => (e.ciphertext = flip(e.ciphertext)),
      (e) => (e.nonce = flip(e.nonce)),
      (e) => (e.epk = flip(e.epk)),
      (e) => (e.recipients[0]!.wrapped_cek = flip(e.recipients[0]!.wrapped_cek)),
      (e) => (e.recipients[0]!.nonce = flip(e.recipients[0]!.nonce)),
      (e) => (e.sender = 'mallory'),
      (e) => (e.id = 'another-id'),
      (e) => e.recipients.reverse(),
      (e) => e.recipients.splice(1, 1),
      (e) => (e.recipients[0]!.key_version = 2),
      (e) => (e.mac = flip(e.mac)),
    ];
    for (const change of changes) {
      const e = JSON.parse(envelope) as Envelope;
      change(e);
      assert.throws(() => engine.decrypt(as('bob'), JSON.stringify(e)), /envelope does not decrypt/, change.toString());
    }
    // Malformed envelopes are named as such.
    for (const bad of [
      '',
      'not json',
      '{}',
      JSON.stringify({ ...JSON.parse(envelope), v: 2 }),
      JSON.stringify({ ...JSON.parse(envelope), extra: 1 }),
      // A key version past 32 bits cannot be in the mac; it is malformed, not a server error.
      JSON.stringify({
        ...JSON.parse(envelope),
        recipients: (JSON.parse(envelope) as Envelope).recipients.map((r) => ({ ...r, key_version: 2 ** 32 })),
      }),
    ]) {
      assert.throws(() => engine.decrypt(as('bob'), bad), InvalidRequestError);
    }
  });

  it('refuses an envelope built outside this mount, even one that would decrypt', () => {
    const a = setup();
    const b = setup();
    for (const s of [a, b]) for (const u of ['alice', 'bob']) s.engine.register(s.as(u));
    // Mount b's envelope is well formed but attested by b's mac key, not a's.
    const foreign = b.engine.encrypt(b.as('alice'), ['bob'], text('x')).envelope;
    assert.throws(() => a.engine.decrypt(a.as('bob'), foreign), /envelope does not decrypt/);
  });

  it('decrypts an old envelope after rotation, and new envelopes use the new version', () => {
    const { engine, as } = setup();
    engine.register(as('alice'));
    engine.register(as('bob'));
    const old = engine.encrypt(as('alice'), ['bob'], text('before')).envelope;
    const rotated = engine.rotate(as('bob'));
    assert.equal(rotated.version, 2);
    assert.equal(engine.publicKey(as('alice'), 'bob').version, 2);
    const fresh = engine.encrypt(as('alice'), ['bob'], text('after')).envelope;
    assert.equal((JSON.parse(fresh) as Envelope).recipients[0]!.key_version, 2);
    assert.equal(engine.decrypt(as('bob'), old).plaintext.toString(), 'before');
    assert.equal(engine.decrypt(as('bob'), fresh).plaintext.toString(), 'after');
  });

  it('answers clear errors for unregistered users and bad recipient lists', () => {
    const { engine, as } = setup();
    engine.register(as('alice'));
    assert.throws(
      () => engine.encrypt(as('alice'), ['nobody'], text('x')),
      (e: unknown) => e instanceof NotFoundError && /"nobody".*register first/.test(e.message),
    );
    assert.throws(() => engine.publicKey(as('alice'), 'nobody'), NotFoundError);
    assert.throws(() => engine.rotate(as('nobody')), NotFoundError);
    assert.throws(() => engine.encrypt(as('stranger'), ['alice'], text('x')), PreconditionError);
    assert.throws(() => engine.encrypt(as('alice'), [], text('x')), /recipients: list at least one/);
    assert.throws(() => engine.encrypt(as('alice'), ['alice', 'alice'], text('x')), /listed twice/);
    assert.throws(() => engine.publicKey(as('alice'), ''), InvalidRequestError);
  });

  it('deleteUserKeys removes every version; their envelopes no longer open', () => {
    const { store, engine, as } = setup();
    engine.register(as('alice'));
    engine.register(as('bob'));
    engine.rotate(as('bob'));
    const { envelope } = engine.encrypt(as('alice'), ['bob'], text('x'));
    engine.deleteUserKeys(as('root', ['admin']), 'bob');
    assert.deepEqual([...store.keys()].sort(), ['mac-key', 'private/alice/1', 'users/alice']);
    assert.throws(() => engine.decrypt(as('bob'), envelope), NotFoundError);
    assert.throws(() => engine.deleteUserKeys(as('root', ['admin']), 'bob'), NotFoundError);
    // Registering again starts a fresh key at version 1.
    assert.equal(engine.register(as('bob')).version, 1);
  });

  it('keeps usernames from escaping their storage paths', () => {
    const { store, engine, as } = setup();
    engine.register(as('a/b'));
    engine.register(as('a'));
    assert.deepEqual([...store.keys()].sort(), ['private/a%2Fb/1', 'private/a/1', 'users/a', 'users/a%2Fb']);
    engine.deleteUserKeys(as('root', ['admin']), 'a');
    assert.deepEqual([...store.keys()].sort(), ['private/a%2Fb/1', 'users/a%2Fb']);
  });

  it('refuses calls after seal', () => {
    const { engine, as } = setup();
    engine.register(as('alice'));
    engine.seal();
    assert.throws(() => engine.publicKey(as('alice'), 'alice'), SealedError);
  });
});

describe('userProvider.validateConfig', () => {
  it('takes nothing or key_type x25519, and refuses the rest naming the key', () => {
    assert.deepEqual(userProvider.validateConfig(undefined), { key_type: 'x25519' });
    assert.deepEqual(userProvider.validateConfig({}), { key_type: 'x25519' });
    assert.deepEqual(userProvider.validateConfig({ key_type: 'x25519' }), { key_type: 'x25519' });
    assert.throws(() => userProvider.validateConfig({ key_type: 'p256' }), /config\.key_type/);
    assert.throws(() => userProvider.validateConfig({ colour: 1 }), /config\.colour/);
    assert.throws(() => userProvider.validateConfig([]), /must be a JSON object/);
  });
});
