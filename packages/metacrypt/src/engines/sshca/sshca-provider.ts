import type { EngineProvider } from '../../engine/index.js';
import { writeKRL } from './revoke-cert.js';
import { SSHCAKey } from './ssh-ca-key.js';
import { buildProfile, defaultUserExtensions } from './ssh-profile.js';
import { validateSSHCAConfig } from './sshca-config.js';
import { SSHCAEngine } from './sshca-engine.js';
import { paths, SSHCAStore } from './sshca-storage.js';

/**
 * sshcaProvider creates sshca mounts. initialize (inside the mount-creation transaction)
 * generates the CA key(s), starts the serial counter, writes an empty KRL (so sshd's RevokedKeys
 * can point at the endpoint from the start) and, when the config asks, the "default" profile:
 * user certificates for the caller's own username only (allowed_principals empty), 16h default
 * and 24h maximum lifetime, and the extensions `ssh-keygen -s` grants by default.
 */
export const sshcaProvider: EngineProvider<SSHCAEngine> = {
  type: 'sshca',

  validateConfig: (config) => ({ ...validateSSHCAConfig(config) }),

  initialize(mount, view, deps) {
    const config = validateSSHCAConfig(mount.config);
    const store = new SSHCAStore(view);
    const now = deps.now();
    const user = SSHCAKey.generate(config.key_type, now);
    store.putCAKey('user', user.stored, user.key);
    const host = config.shared_ca_key ? user : SSHCAKey.generate(config.key_type, now);
    if (!config.shared_ca_key) store.putCAKey('host', host.stored, host.key);
    view.putJSON(paths.serial, { next: 1 });
    writeKRL({ mount: mount.name, store, caFor: (t) => (t === 'user' ? user.key : host.key), now: deps.now });
    if (config.default_user_profile) {
      store.putProfile(buildProfile({ name: 'default', certType: 'user', extensions: defaultUserExtensions }, now));
    }
    user.key.drop();
    host.key.drop();
  },

  open: (mount, view, deps) => new SSHCAEngine(mount, view, deps),
};
