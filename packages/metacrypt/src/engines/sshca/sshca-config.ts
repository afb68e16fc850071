import { InvalidRequestError } from '@metacircular/mcdsl';
import { caKeyTypes, type CAKeyType } from './ssh-ca-key.js';

/** SSHCAConfig is an sshca mount's config (given at mount creation, fixed afterwards). */
export interface SSHCAConfig {
  /** type of the CA key(s); default "ed25519" */
  readonly key_type: CAKeyType;
  /** one key signs user and host certificates; default false (a user CA and a host CA) */
  readonly shared_ca_key: boolean;
  /** create profile "default" (user certificates for the caller's own username) at mount creation; default false */
  readonly default_user_profile: boolean;
}

const keys = ['key_type', 'shared_ca_key', 'default_user_profile'] as const;

/** validateSSHCAConfig checks a mount's config and fills in the defaults; throws InvalidRequestError naming the bad key. */
export function validateSSHCAConfig(config: unknown): SSHCAConfig {
  const input = config ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new InvalidRequestError('config: must be an object');
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(keys as readonly string[]).includes(key)) {
      throw new InvalidRequestError(`config.${key}: unknown key; sshca mounts take ${keys.join(', ')}`);
    }
  }
  const keyType = record['key_type'] ?? 'ed25519';
  if (typeof keyType !== 'string' || !(caKeyTypes as readonly string[]).includes(keyType)) {
    throw new InvalidRequestError(`config.key_type: use one of ${caKeyTypes.join(', ')}`);
  }
  return {
    key_type: keyType as CAKeyType,
    shared_ca_key: flag(record, 'shared_ca_key'),
    default_user_profile: flag(record, 'default_user_profile'),
  };
}

function flag(record: Record<string, unknown>, key: string): boolean {
  const value = record[key] ?? false;
  if (typeof value !== 'boolean') throw new InvalidRequestError(`config.${key}: must be true or false`);
  return value;
}
