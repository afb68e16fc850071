import { createHash, X509Certificate } from 'node:crypto';

/**
 * Flags for Debian's Chromium in tests: no sandbox (tests run as root), no GPU, and none of the
 * background connections a closed network refuses by the dozen.
 */
export const chromiumTestArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** spkiHash is the base64 SHA-256 of a certificate's public key, what Chromium's SPKI pin list takes. */
export function spkiHash(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/**
 * chromiumLaunchOptions builds playwright's launch options for Chromium at `executablePath` that
 * trusts exactly the given test certificates, pinned by key: every other certificate is still
 * verified, unlike `ignoreHTTPSErrors`.
 */
export function chromiumLaunchOptions(
  executablePath: string | undefined,
  opts: { trust?: readonly string[] } = {},
): { executablePath?: string; args: string[] } {
  const pins = (opts.trust ?? []).map(spkiHash);
  return {
    ...(executablePath === undefined ? {} : { executablePath }),
    args: [...chromiumTestArgs, ...(pins.length > 0 ? [`--ignore-certificate-errors-spki-list=${pins.join(',')}`] : [])],
  };
}
