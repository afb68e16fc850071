import type { FastifyReply } from 'fastify';

/** pemType is the media type of the PEM files the UI hands out. */
export const pemType = 'application/x-pem-file';

/**
 * sendDownload answers with a file to save (certificates, chains, a KRL): an attachment with a
 * fixed, safe file name, never cached (an issued key is in some of them) and never sniffed.
 */
export function sendDownload(reply: FastifyReply, fileName: string, type: string, body: string | Uint8Array): FastifyReply {
  const safeName = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  return reply
    .code(200)
    .headers({
      'content-type': type,
      'content-disposition': `attachment; filename="${safeName}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    })
    .send(typeof body === 'string' ? body : Buffer.from(body));
}

/**
 * dataUrl makes a `data:` link target for a one-time download from the page itself (an issued
 * key is shown once and never stored, so it cannot be fetched again later).
 */
export function dataUrl(type: string, body: string): string {
  return `data:${type};base64,${Buffer.from(body, 'utf8').toString('base64')}`;
}
