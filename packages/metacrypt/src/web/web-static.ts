import {
  baseStylesheet,
  htmxErrorSwapScript,
  registerStatic,
  serveAsset,
  staticAccess,
  type AccessTable,
} from '@metacircular/mcdsl';
import type { FastifyInstance } from 'fastify';

/** webStaticPaths are the UI's own assets, next to htmx (mcdsl registerStatic). */
export const webStaticPaths = { css: '/static/metacrypt.css', js: '/static/metacrypt.js' } as const;

// The UI's script: htmx swaps the server's error fragments (they target #flash).
const script = `// Metacrypt web UI: show the server's error fragments (they target #flash).
${htmxErrorSwapScript}`;

// mcdsl's shared rules first, then this UI's colours and widths (later rules win).
const stylesheet = `${baseStylesheet}/* Metacrypt web UI */
body { font-family: system-ui, sans-serif; margin: 0; color: #1d232a; background: #f6f7f9; }
nav { display: flex; gap: 1rem; align-items: center; padding: 0.6rem 1.2rem; background: #2b2d42; }
nav a, nav button, nav span { color: #fff; }
nav .who { margin-left: auto; }
main { max-width: 72rem; margin: 1rem auto; padding: 0 1rem; }
label, .label { display: inline-block; min-width: 11rem; }
textarea { width: 100%; max-width: 48rem; font-family: monospace; }
pre { white-space: pre-wrap; word-break: break-all; background: #f0f2f5; padding: 0.5rem; }
.secret { background: #fff8e1; border: 1px solid #f0d58c; padding: 0.5rem 0.8rem; border-radius: 4px; }
`;

/** webStaticAccess is the access-table rows of the UI's assets, htmx included: public. */
export const webStaticAccess: AccessTable = {
  ...staticAccess,
  [`GET ${webStaticPaths.css}`]: { level: 'public' },
  [`GET ${webStaticPaths.js}`]: { level: 'public' },
};

/**
 * registerWebStatic serves htmx (from the htmx.org package), the stylesheet and the script. No
 * inline script or style anywhere: the pages' CSP allows only our origin. They are public and
 * served while sealed, since the unseal page needs them.
 */
export function registerWebStatic(app: FastifyInstance): void {
  registerStatic(app);
  serveAsset(app, webStaticPaths.css, 'text/css; charset=utf-8', stylesheet);
  serveAsset(app, webStaticPaths.js, 'text/javascript; charset=utf-8', script);
}
