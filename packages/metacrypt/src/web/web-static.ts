import { createHash } from 'node:crypto';
import { registerStatic, staticAccess, type AccessTable } from '@metacircular/mcdsl';
import type { FastifyInstance } from 'fastify';

/** webStaticPaths are the UI's own assets, next to htmx (mcdsl registerStatic). */
export const webStaticPaths = { css: '/static/metacrypt.css', js: '/static/metacrypt.js' } as const;

// htmx 2 leaves 4xx/5xx responses unswapped; the server sends refusals as a fragment aimed at
// #flash (HX-Retarget), so let htmx swap them and the user sees why an action failed.
const script = `// Metacrypt web UI: show the server's error fragments (they target #flash).
htmx.config.responseHandling = [
  { code: '204', swap: false },
  { code: '[23]..', swap: true },
  { code: '[45]..', swap: true, error: true },
];
`;

const stylesheet = `/* Metacrypt web UI */
body { font-family: system-ui, sans-serif; margin: 0; color: #1d232a; background: #f6f7f9; }
nav { display: flex; gap: 1rem; align-items: center; padding: 0.6rem 1.2rem; background: #2b2d42; }
nav a, nav button, nav span { color: #fff; }
nav .who { margin-left: auto; }
nav form { margin: 0; }
nav button { background: none; border: 1px solid #fff; border-radius: 4px; cursor: pointer; }
main { max-width: 72rem; margin: 1rem auto; padding: 0 1rem; }
section { background: #fff; border: 1px solid #d8dde3; border-radius: 6px; padding: 0.8rem 1.2rem; margin-bottom: 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1.2rem; }
dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
label, .label { display: inline-block; min-width: 11rem; }
input, select, textarea, button { font: inherit; }
textarea { width: 100%; max-width: 48rem; font-family: monospace; }
pre { white-space: pre-wrap; word-break: break-all; background: #f0f2f5; padding: 0.5rem; }
.notice { background: #e7f5ea; border: 1px solid #9dd3a8; padding: 0.5rem 0.8rem; border-radius: 4px; }
.error { background: #fdecea; border: 1px solid #f5a9a1; padding: 0.5rem 0.8rem; border-radius: 4px; }
.secret { background: #fff8e1; border: 1px solid #f0d58c; padding: 0.5rem 0.8rem; border-radius: 4px; }
.muted { color: #69737d; }
.inline { display: inline; }
code { word-break: break-all; }
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
  serve(app, webStaticPaths.css, 'text/css; charset=utf-8', stylesheet);
  serve(app, webStaticPaths.js, 'text/javascript; charset=utf-8', script);
}

function serve(app: FastifyInstance, path: string, type: string, content: string): void {
  const body = Buffer.from(content, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  app.get(path, async (request, reply) => {
    void reply.headers({ 'cache-control': 'public, max-age=3600', etag, 'x-content-type-options': 'nosniff' });
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(type).send(body);
  });
}
