import { ConflictError, NotFoundError } from '@metacircular/mcdsl';
import type { BarrierView, Engine, EngineDeps, MountInfo, OpContext } from '../../engine/index.js';
import { readKRLHeader } from './krl.js';
import { revokeCert } from './revoke-cert.js';
import { signCert, type SignCertRequest, type SignedCert, type SignerDeps } from './sign-cert.js';
import type { SSHCAKey } from './ssh-ca-key.js';
import type { SSHCertType } from './ssh-certificate.js';
import { buildProfile, type SSHProfile, type SSHProfileInput } from './ssh-profile.js';
import { validateSSHCAConfig } from './sshca-config.js';
import { SSHCAStore, type SSHCertRecord } from './sshca-storage.js';

/** CAPublicKeys are a mount's CA public keys as authorized_keys lines. */
export interface CAPublicKeys {
  /** for sshd's TrustedUserCAKeys */
  readonly user: string;
  /** for `@cert-authority` lines in known_hosts */
  readonly host: string;
  readonly shared: boolean;
}

/** KRLSnapshot is the current KRL with what its header says. */
export interface KRLSnapshot {
  readonly krl: Buffer;
  readonly version: bigint;
  readonly generatedAt: Date;
}

/**
 * SSHCAEngine is a live sshca mount: it holds the CA private keys in memory while Metacrypt is
 * unsealed and serves signing, profiles, revocation and the KRL (spec §7.2). Profile and
 * revocation methods are admin operations; the access table enforces that before they run.
 */
export class SSHCAEngine implements Engine {
  readonly type = 'sshca' as const;
  private readonly store: SSHCAStore;
  private readonly signer: SignerDeps;
  private readonly shared: boolean;
  private readonly userCA: SSHCAKey;
  private readonly hostCA: SSHCAKey;

  constructor(
    readonly mount: MountInfo,
    view: BarrierView,
    deps: EngineDeps,
  ) {
    this.store = new SSHCAStore(view);
    this.shared = validateSSHCAConfig(mount.config).shared_ca_key;
    const user = loadKey(this.store, 'user', mount.name);
    const host = this.shared ? user : loadKey(this.store, 'host', mount.name);
    this.userCA = user;
    this.hostCA = host;
    this.signer = { mount: mount.name, store: this.store, caFor: (t) => this.caFor(t), now: deps.now };
  }

  /** caPublicKeys returns the CA public keys (public data) */
  caPublicKeys(): CAPublicKeys {
    return {
      user: this.userCA.authorizedKeysLine(`metacrypt:${this.mount.name}:${this.shared ? 'ca' : 'user-ca'}`),
      host: this.hostCA.authorizedKeysLine(`metacrypt:${this.mount.name}:${this.shared ? 'ca' : 'host-ca'}`),
      shared: this.shared,
    };
  }

  /** signUserCert signs a user certificate (policy sign-user; see signCert for the checks) */
  signUserCert(ctx: OpContext, req: SignCertRequest): SignedCert {
    return signCert(this.signer, ctx, 'user', req);
  }

  /** signHostCert signs a host certificate (policy sign-host) */
  signHostCert(ctx: OpContext, req: SignCertRequest): SignedCert {
    return signCert(this.signer, ctx, 'host', req);
  }

  listProfiles(): SSHProfile[] {
    return this.store.profiles();
  }

  /** getProfile returns a profile or throws NotFoundError */
  getProfile(name: string): SSHProfile {
    const profile = this.store.profile(name);
    if (!profile) throw new NotFoundError(`profile: "${name}" does not exist on mount ${this.mount.name}`);
    return profile;
  }

  /** createProfile stores a new profile; ConflictError if the name is taken */
  createProfile(ctx: OpContext, input: SSHProfileInput): SSHProfile {
    const profile = buildProfile(input, this.signer.now());
    return this.store.view.transaction(() => {
      if (this.store.profile(profile.name)) throw new ConflictError(`name: profile "${profile.name}" already exists`);
      this.store.putProfile(profile);
      ctx.note({ profile: profile.name, cert_type: profile.certType });
      return profile;
    });
  }

  /** updateProfile replaces an existing profile whole (left-out fields take their defaults again) */
  updateProfile(ctx: OpContext, input: SSHProfileInput): SSHProfile {
    return this.store.view.transaction(() => {
      const before = this.getProfile(input.name);
      const profile = buildProfile(input, this.signer.now(), before.createdAt);
      this.store.putProfile(profile);
      ctx.note({ profile: profile.name, cert_type: profile.certType });
      return profile;
    });
  }

  /** deleteProfile removes a profile; certificates signed under it stay valid and revocable */
  deleteProfile(ctx: OpContext, name: string): void {
    this.getProfile(name);
    this.store.deleteProfile(name);
    ctx.note({ profile: name });
  }

  /** revoke revokes a certificate by serial and rewrites the KRL */
  revoke(ctx: OpContext, serial: number): SSHCertRecord {
    return revokeCert(this.signer, ctx, serial);
  }

  /** listCerts returns every certificate record in serial order */
  listCerts(): SSHCertRecord[] {
    return this.store.certs();
  }

  /** krl returns the current KRL (written at mount creation and on every revocation) */
  krl(): KRLSnapshot {
    const krl = this.store.krl();
    if (!krl) throw new NotFoundError(`krl: mount ${this.mount.name} has no krl; recreate the mount`);
    const header = readKRLHeader(krl);
    return { krl, version: header.version, generatedAt: header.generatedAt };
  }

  seal(): void {
    this.userCA.drop();
    this.hostCA.drop();
  }

  private caFor(certType: SSHCertType): SSHCAKey {
    return certType === 'user' ? this.userCA : this.hostCA;
  }
}

function loadKey(store: SSHCAStore, which: 'user' | 'host', mount: string): SSHCAKey {
  const key = store.caKey(which);
  if (!key) throw new NotFoundError(`sshca mount ${mount} has no ${which} ca key; recreate the mount`);
  return key;
}
