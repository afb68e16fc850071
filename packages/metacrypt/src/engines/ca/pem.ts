import { InvalidRequestError } from '@metacircular/mcdsl';

/** PEM armour (RFC 7468) for the certificates, CSRs and CRLs the engine reads and writes. */

/** toPem armours DER bytes under `label` (e.g. "CERTIFICATE"), 64 characters a line. */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

const blockPattern = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** pemBlocks returns every PEM block of `text` with one of `labels`, decoded, in order. */
export function pemBlocks(text: string, labels: readonly string[]): Buffer[] {
  const out: Buffer[] = [];
  for (const m of text.matchAll(blockPattern)) {
    if (!labels.includes(m[1] ?? '')) continue;
    const body = (m[2] ?? '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length === 0) continue;
    out.push(Buffer.from(body, 'base64'));
  }
  return out;
}

/** onePemBlock decodes the single PEM block `field` must hold, or throws InvalidRequestError naming it. */
export function onePemBlock(text: string, labels: readonly string[], field: string): Buffer {
  const blocks = pemBlocks(text, labels);
  if (blocks.length === 0) throw new InvalidRequestError(`${field}: no PEM block (${labels.join(' or ')}) found`);
  if (blocks.length > 1) throw new InvalidRequestError(`${field}: give exactly one PEM block, not ${blocks.length}`);
  return blocks[0] as Buffer;
}
