import type { SqliteDatabase } from '@metacircular/mcdsl';

/**
 * WebAuthnCredentialRecord is one row of `webauthn_credentials`, its secrets still sealed: the
 * authenticator's credential id and public key are vault boxes, and the row is found at login by
 * an HMAC of the credential id (credentialHmac), never by the id itself.
 */
export interface WebAuthnCredentialRecord {
  readonly id: number;
  /** the public, opaque id of this record */
  readonly uuid: string;
  readonly accountId: number;
  readonly credentialHmac: Buffer;
  readonly credentialIdEnc: Buffer;
  readonly publicKeyEnc: Buffer;
  readonly signCount: number;
  readonly transports: readonly string[];
  readonly discoverable: boolean;
  readonly name: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

/** NewWebAuthnCredential is what WebAuthnCredentialStore.insert needs. */
export type NewWebAuthnCredential = Omit<WebAuthnCredentialRecord, 'id' | 'lastUsedAt'>;

interface CredentialRow {
  id: number;
  uuid: string;
  account_id: number;
  credential_hmac: Buffer;
  credential_id_enc: Buffer;
  public_key_enc: Buffer;
  sign_count: number;
  transports: string;
  discoverable: number;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

const columns =
  'id, uuid, account_id, credential_hmac, credential_id_enc, public_key_enc, sign_count, transports, discoverable, name, created_at, last_used_at';

function toRecord(row: CredentialRow): WebAuthnCredentialRecord {
  const transports: unknown = JSON.parse(row.transports);
  return {
    id: row.id,
    uuid: row.uuid,
    accountId: row.account_id,
    credentialHmac: row.credential_hmac,
    credentialIdEnc: row.credential_id_enc,
    publicKeyEnc: row.public_key_enc,
    signCount: row.sign_count,
    transports: Array.isArray(transports) ? transports.filter((t): t is string => typeof t === 'string') : [],
    discoverable: row.discoverable === 1,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

/** WebAuthnCredentialStore is the repository of `webauthn_credentials`. */
export class WebAuthnCredentialStore {
  readonly #byHmac;
  readonly #byUuid;
  readonly #ofAccount;
  readonly #countOf;
  readonly #insert;
  readonly #useCounter;
  readonly #delete;

  constructor(db: SqliteDatabase) {
    this.#byHmac = db.prepare<[Buffer], CredentialRow>(`SELECT ${columns} FROM webauthn_credentials WHERE credential_hmac = ?`);
    this.#byUuid = db.prepare<[string], CredentialRow>(`SELECT ${columns} FROM webauthn_credentials WHERE uuid = ?`);
    this.#ofAccount = db.prepare<[number], CredentialRow>(
      `SELECT ${columns} FROM webauthn_credentials WHERE account_id = ? ORDER BY created_at, id`,
    );
    this.#countOf = db.prepare<[number], number>('SELECT count(*) FROM webauthn_credentials WHERE account_id = ?').pluck();
    this.#insert = db.prepare(
      `INSERT INTO webauthn_credentials
         (uuid, account_id, credential_hmac, credential_id_enc, public_key_enc, sign_count, transports, discoverable, name, created_at)
       VALUES (@uuid, @accountId, @credentialHmac, @credentialIdEnc, @publicKeyEnc, @signCount, @transports, @discoverable, @name, @createdAt)`,
    );
    // The counter moves only forwards (or stays at 0 for authenticators without one), so of two
    // concurrent logins with the same assertion counter only one can win.
    this.#useCounter = db.prepare<[number, number, number, number, number]>(
      `UPDATE webauthn_credentials SET sign_count = ?, last_used_at = ?
       WHERE id = ? AND (sign_count < ? OR (sign_count = 0 AND ? = 0))`,
    );
    this.#delete = db.prepare<[number]>('DELETE FROM webauthn_credentials WHERE id = ?');
  }

  /** byHmac finds the credential whose id has this lookup HMAC. */
  byHmac(hmac: Buffer): WebAuthnCredentialRecord | undefined {
    const row = this.#byHmac.get(hmac);
    return row ? toRecord(row) : undefined;
  }

  /** byUuid finds a credential by its public record id. */
  byUuid(uuid: string): WebAuthnCredentialRecord | undefined {
    const row = this.#byUuid.get(uuid);
    return row ? toRecord(row) : undefined;
  }

  /** ofAccount lists an account's credentials, oldest first. */
  ofAccount(accountId: number): WebAuthnCredentialRecord[] {
    return this.#ofAccount.all(accountId).map(toRecord);
  }

  /** countOf is how many credentials an account has. */
  countOf(accountId: number): number {
    return this.#countOf.get(accountId) ?? 0;
  }

  /** insert stores a new credential (the UNIQUE HMAC refuses a credential registered twice). */
  insert(c: NewWebAuthnCredential): void {
    this.#insert.run({
      uuid: c.uuid,
      accountId: c.accountId,
      credentialHmac: c.credentialHmac,
      credentialIdEnc: c.credentialIdEnc,
      publicKeyEnc: c.publicKeyEnc,
      signCount: c.signCount,
      transports: JSON.stringify(c.transports),
      discoverable: c.discoverable ? 1 : 0,
      name: c.name,
      createdAt: c.createdAt,
    });
  }

  /**
   * useCounter records a login's signature counter; false (nothing written) when the stored
   * counter is not below it, unless both are 0 (an authenticator that keeps no counter).
   */
  useCounter(id: number, counter: number, now: number): boolean {
    return this.#useCounter.run(counter, now, id, counter, counter).changes === 1;
  }

  /** delete removes one credential; false when it was already gone. */
  delete(id: number): boolean {
    return this.#delete.run(id).changes === 1;
  }
}
