import type { AccessTable } from '@metacircular/mcdsl';

const rpc = (method: string): string => `/metacrypt.v1.TransitService/${method}`;

/**
 * transitAccess is the access row of every TransitService RPC. All need an unsealed barrier
 * (503 / UNAVAILABLE first) and a non-guest token; the engine then asks policy for the action
 * on transit/{mount}/keys/{name}. TrimKey destroys key versions for good, so it is admin only.
 */
export const transitAccess: AccessTable = {
  [rpc('CreateKey')]: { level: 'authenticated', unsealed: true },
  [rpc('GetKey')]: { level: 'authenticated', unsealed: true },
  [rpc('ListKeys')]: { level: 'authenticated', unsealed: true },
  [rpc('RotateKey')]: { level: 'authenticated', unsealed: true },
  [rpc('UpdateKeyConfig')]: { level: 'authenticated', unsealed: true },
  [rpc('DeleteKey')]: { level: 'authenticated', unsealed: true },
  [rpc('TrimKey')]: { level: 'admin', unsealed: true },
  [rpc('Encrypt')]: { level: 'authenticated', unsealed: true },
  [rpc('Decrypt')]: { level: 'authenticated', unsealed: true },
  [rpc('Rewrap')]: { level: 'authenticated', unsealed: true },
  [rpc('GenerateDataKey')]: { level: 'authenticated', unsealed: true },
  [rpc('Sign')]: { level: 'authenticated', unsealed: true },
  [rpc('Verify')]: { level: 'authenticated', unsealed: true },
  [rpc('HMAC')]: { level: 'authenticated', unsealed: true },
  [rpc('VerifyHMAC')]: { level: 'authenticated', unsealed: true },
};
