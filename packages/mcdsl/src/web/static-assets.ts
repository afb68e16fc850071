import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import type { AccessTable } from '../access/index.js';

/** htmxPath is where pages load htmx from: our own origin, never a CDN. */
export const htmxPath = '/static/htmx.min.js';

/** staticAccess is the access-table entry of the static assets: public. */
export const staticAccess: AccessTable = { [`GET ${htmxPath}`]: { level: 'public' } };

/**
 * htmxErrorSwapScript is a UI script's first lines: htmx 2 leaves 4xx/5xx responses unswapped,
 * and our servers send refusals as a fragment aimed at #flash (HX-Retarget), so htmx is told
 * to swap them and the user sees why an action failed.
 */
export const htmxErrorSwapScript = `htmx.config.responseHandling = [
  { code: '204', swap: false },
  { code: '[23]..', swap: true },
  { code: '[45]..', swap: true, error: true },
];
`;

/** AssetSource is an asset's content: fixed text or bytes, or a loader run on first request. */
export type AssetSource = string | Buffer | (() => Promise<Buffer>);

interface Asset {
  readonly body: Buffer;
  readonly etag: string;
}

function assetOf(body: Buffer): Asset {
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * serveAsset answers `GET path` with one static asset: cached by clients for an hour, then
 * revalidated by its ETag (304 when unchanged), never sniffed. A loader runs on the first
 * request and its result is kept; a failed load is retried on the next request.
 */
export function serveAsset(app: FastifyInstance, path: string, contentType: string, source: AssetSource): void {
  let asset: Promise<Asset> | undefined =
    typeof source === 'function'
      ? undefined
      : Promise.resolve(assetOf(typeof source === 'string' ? Buffer.from(source, 'utf8') : source));
  const load = (): Promise<Asset> => {
    asset ??= (source as () => Promise<Buffer>)()
      .then(assetOf)
      .catch((err: unknown) => {
        asset = undefined;
        throw err;
      });
    return asset;
  };
  app.get(path, async (request, reply) => {
    const { body, etag } = await load();
    void reply.headers({ 'cache-control': 'public, max-age=3600', etag, 'x-content-type-options': 'nosniff' });
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(contentType).send(body);
  });
}

/**
 * registerStatic serves htmx from the `htmx.org` package at `GET /static/htmx.min.js`. The
 * file is read on the first request and kept; clients cache it for an hour and then
 * revalidate with its ETag, so an htmx upgrade reaches browsers within the hour.
 */
export function registerStatic(app: FastifyInstance): void {
  serveAsset(app, htmxPath, 'text/javascript; charset=utf-8', () =>
    readFile(createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js')),
  );
}
