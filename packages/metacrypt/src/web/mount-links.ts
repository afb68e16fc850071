import { html, InvalidRequestError, type SafeHTML } from '@metacircular/mcdsl';
import { pathTo, webPaths, type WebPath } from './web-paths.js';

// Each engine type's page (spec §14); the CA engine's pages live under /pki as its API does.
const pageOfType: Readonly<Record<string, WebPath>> = {
  ca: webPaths.pki,
  sshca: webPaths.sshca,
  transit: webPaths.transit,
  user: webPaths.user,
};

/** enginePagePath is the UI page of a mount, or undefined for a type the UI has no page for. */
export function enginePagePath(mount: { readonly name: string; readonly type: string }): string | undefined {
  const template = pageOfType[mount.type];
  return template ? pathTo(template, { mount: mount.name }) : undefined;
}

/** mountLink is a mount's name, linked to its page when there is one. */
export function mountLink(mount: { readonly name: string; readonly type: string }): SafeHTML {
  const href = enginePagePath(mount);
  return href ? html`<a href="${href}">${mount.name}</a>` : html`${mount.name}`;
}

// spec §5: mount names match ^[a-z0-9][a-z0-9-]{0,62}$; anything else cannot name a mount.
const mountNamePattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** mountParam reads and checks the `:mount` of an engine page's route. */
export function mountParam(params: unknown): string {
  const mount = (params as { mount?: unknown } | undefined)?.mount;
  if (typeof mount !== 'string' || !mountNamePattern.test(mount)) {
    throw new InvalidRequestError('mount: names are 1-63 lower-case letters, digits and dashes');
  }
  return mount;
}
