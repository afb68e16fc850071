import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import type { AccessTable } from '../access/index.js';

/** htmxPath is where pages load htmx from: our own origin, never a CDN. */
export const htmxPath = '/static/htmx.min.js';

/** staticAccess is the access-table entry of the static assets: public. */
export const staticAccess: AccessTable = { [`GET ${htmxPath}`]: { level: 'public' } };

interface Asset {
  readonly body: Buffer;
  readonly etag: string;
}

/**
 * registerStatic serves htmx from the `htmx.org` package at `GET /static/htmx.min.js`. The
 * file is read on the first request and kept; clients cache it for an hour and then
 * revalidate with its ETag, so an htmx upgrade reaches browsers within the hour.
 */
export function registerStatic(app: FastifyInstance): void {
  let asset: Promise<Asset> | undefined;
  const load = async (): Promise<Asset> => {
    const file = createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js');
    const body = await readFile(file);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    return { body, etag };
  };
  app.get(htmxPath, async (request, reply) => {
    asset ??= load().catch((err: unknown) => {
      asset = undefined;
      throw err;
    });
    const { body, etag } = await asset;
    void reply.headers({
      'cache-control': 'public, max-age=3600',
      etag,
      'x-content-type-options': 'nosniff',
    });
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(body);
  });
}
