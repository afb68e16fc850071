import {
  baseStylesheet,
  htmxErrorSwapScript,
  registerStatic,
  serveAsset,
  staticAccess,
  type AccessTable,
} from '@metacircular/mcdsl';
import type { FastifyInstance } from 'fastify';
import { passkeyAssetAccess, registerPasskeyAssets } from './passkey-assets.js';

/** webStaticPaths are the UI's own assets, next to htmx (mcdsl registerStatic). */
export const webStaticPaths = { css: '/static/mcias.css', js: '/static/mcias.js' } as const;

// The UI's script: htmx swaps the server's error fragments (they target #flash).
const script = `// MCIAS web UI: show the server's error fragments (they target #flash).
${htmxErrorSwapScript}`;

// mcdsl's shared rules first, then this UI's colours and widths (later rules win).
const stylesheet = `${baseStylesheet}/* MCIAS web UI */
body { font-family: system-ui, sans-serif; margin: 0; color: #1d232a; background: #f7f8fa; }
nav { display: flex; gap: 1rem; align-items: center; padding: 0.6rem 1.2rem; background: #1d3557; }
nav a, nav button { color: #fff; }
nav .who { margin-left: auto; color: #fff; }
main { max-width: 70rem; margin: 1rem auto; padding: 0 1rem; }
label { display: inline-block; min-width: 10rem; }
textarea { width: 100%; max-width: 40rem; }
.secret { font-family: monospace; word-break: break-all; background: #fff8e1; padding: 0.4rem; }
`;

/** webStaticAccess is the access-table rows of the UI's assets, htmx included: public. */
export const webStaticAccess: AccessTable = {
  ...staticAccess,
  [`GET ${webStaticPaths.css}`]: { level: 'public' },
  [`GET ${webStaticPaths.js}`]: { level: 'public' },
  ...passkeyAssetAccess,
};

/**
 * registerWebStatic serves htmx (from the htmx.org package), the UI's stylesheet and script, and
 * the passkey scripts (passkey-assets.ts)
 * (no inline script or style anywhere: the pages' CSP allows only our origin). They are public
 * and work while sealed, since the unseal page needs them.
 */
export function registerWebStatic(app: FastifyInstance): void {
  registerStatic(app);
  serveAsset(app, webStaticPaths.css, 'text/css; charset=utf-8', stylesheet);
  serveAsset(app, webStaticPaths.js, 'text/javascript; charset=utf-8', script);
  registerPasskeyAssets(app);
}
