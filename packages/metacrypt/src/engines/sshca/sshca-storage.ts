import type { BarrierView } from '../../engine/index.js';
import { SSHCAKey, type StoredCAKey } from './ssh-ca-key.js';
import type { SSHCertType } from './ssh-certificate.js';
import type { SSHKeyType } from './ssh-public-key.js';
import type { SSHProfile } from './ssh-profile.js';

/**
 * The sshca engine's storage layout inside its barrier view (engine/{mount}/...), spec §7.2:
 *   ca/user, ca/host   the CA key records: type and creation time (ca/host is absent when the
 *                      mount shares one key)
 *   keys/user, keys/host  the CA private keys, PKCS#8 DER as binary entries (a Buffer can be
 *                      zeroed after import, a JSON string cannot)
 *   profiles/{name}    signing profiles
 *   certs/{serial}     one record per signed certificate; the serial is zero-padded to 20 digits
 *                      so list() returns them in signing order
 *   serial             the next serial (serials count up per mount, from 1; 0 means "none" to OpenSSH)
 *   krl                the current binary KRL, rewritten on every revocation; its header holds its version
 */
export const paths = {
  userCA: 'ca/user',
  hostCA: 'ca/host',
  userCAKey: 'keys/user',
  hostCAKey: 'keys/host',
  profilesPrefix: 'profiles/',
  profile: (name: string) => `profiles/${name}`,
  certsPrefix: 'certs/',
  cert: (serial: number) => `certs/${String(serial).padStart(20, '0')}`,
  serial: 'serial',
  krl: 'krl',
} as const;

/** SSHCertRecord is the record of one signed certificate: public data only. */
export interface SSHCertRecord {
  readonly serial: number;
  readonly certType: SSHCertType;
  readonly profile: string;
  readonly keyId: string;
  readonly principals: readonly string[];
  /** ISO 8601 */
  readonly validAfter: string;
  readonly validBefore: string;
  readonly issuedBy: string;
  readonly issuedAt: string;
  readonly keyType: SSHKeyType;
  readonly fingerprint: string;
  readonly certificate: string;
  readonly revokedAt?: string;
}

/** SSHCAStore reads and writes the engine's records through its barrier view. */
export class SSHCAStore {
  constructor(readonly view: BarrierView) {}

  /** caKey loads the user or host CA key; the DER read is zeroed once imported. Undefined when missing. */
  caKey(which: 'user' | 'host'): SSHCAKey | undefined {
    const stored = this.view.getJSON<StoredCAKey>(which === 'user' ? paths.userCA : paths.hostCA);
    const der = this.view.get(which === 'user' ? paths.userCAKey : paths.hostCAKey);
    if (!stored || !der) {
      der?.fill(0);
      return undefined;
    }
    return SSHCAKey.load(stored, der);
  }

  /** putCAKey writes the user or host CA key's record and its private key, zeroing the exported DER. */
  putCAKey(which: 'user' | 'host', stored: StoredCAKey, key: SSHCAKey): void {
    this.view.putJSON(which === 'user' ? paths.userCA : paths.hostCA, stored);
    const der = key.exportPKCS8();
    try {
      this.view.put(which === 'user' ? paths.userCAKey : paths.hostCAKey, der);
    } finally {
      der.fill(0);
    }
  }

  profile(name: string): SSHProfile | undefined {
    return this.view.getJSON<SSHProfile>(paths.profile(name));
  }

  putProfile(profile: SSHProfile): void {
    this.view.putJSON(paths.profile(profile.name), profile);
  }

  deleteProfile(name: string): void {
    this.view.delete(paths.profile(name));
  }

  profiles(): SSHProfile[] {
    return this.view
      .list(paths.profilesPrefix)
      .map((p) => this.view.getJSON<SSHProfile>(p))
      .filter((p): p is SSHProfile => p !== undefined);
  }

  /** takeSerial returns the next serial and advances the counter (call inside a transaction) */
  takeSerial(): number {
    const next = this.view.getJSON<{ next: number }>(paths.serial)?.next ?? 1;
    this.view.putJSON(paths.serial, { next: next + 1 });
    return next;
  }

  cert(serial: number): SSHCertRecord | undefined {
    return this.view.getJSON<SSHCertRecord>(paths.cert(serial));
  }

  putCert(record: SSHCertRecord): void {
    this.view.putJSON(paths.cert(record.serial), record);
  }

  certs(): SSHCertRecord[] {
    return this.view
      .list(paths.certsPrefix)
      .map((p) => this.view.getJSON<SSHCertRecord>(p))
      .filter((r): r is SSHCertRecord => r !== undefined);
  }

  krl(): Buffer | undefined {
    return this.view.get(paths.krl);
  }

  putKRL(krl: Buffer): void {
    this.view.put(paths.krl, krl);
  }
}
