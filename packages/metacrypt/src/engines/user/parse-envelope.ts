import { InvalidRequestError } from '@metacircular/mcdsl';
import { z } from 'zod';
import { envelopeAlg, type Envelope } from './envelope.js';

/** maxRecipients bounds the work one envelope can ask for. */
export const maxRecipients = 100;

// base64 decodes leniently in node; insist on the canonical form so a changed character is
// always a changed byte (and is then caught by the GCM tags), and check the decoded length.
const base64 = (what: string, length?: { exactly?: number; atLeast?: number }) =>
  z.string(`${what} must be a base64 string`).refine((text) => {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.toString('base64') !== text) return false;
    if (length?.exactly !== undefined && bytes.length !== length.exactly) return false;
    return length?.atLeast === undefined || bytes.length >= length.atLeast;
  }, `${what} must be canonical base64 of the right length`);

const recipientSchema = z.strictObject({
  user: z.string('user must be a string').min(1).max(256),
  // The mac encodes it as a 32-bit unsigned integer (envelope-mac.ts).
  key_version: z.number('key_version must be a number').int().min(1).max(0xffffffff),
  wrapped_cek: base64('wrapped_cek', { exactly: 48 }),
  nonce: base64('nonce', { exactly: 12 }),
});

const envelopeSchema = z.strictObject({
  v: z.literal(1, 'v must be 1 (the only envelope version)'),
  id: z.string('id must be a string').min(1).max(64),
  sender: z.string('sender must be a string').min(1).max(256),
  alg: z.literal(envelopeAlg, `alg must be "${envelopeAlg}"`),
  epk: base64('epk', { exactly: 32 }),
  recipients: z
    .array(recipientSchema, 'recipients must be a list')
    .min(1, 'recipients must not be empty')
    .max(maxRecipients, `recipients must list at most ${maxRecipients} users`)
    .refine((list) => new Set(list.map((r) => r.user)).size === list.length, 'recipients must not repeat a user'),
  nonce: base64('nonce', { exactly: 12 }),
  ciphertext: base64('ciphertext', { atLeast: 16 }),
  mac: base64('mac', { exactly: 32 }),
});

/** parseEnvelope reads an envelope string strictly; anything malformed is an InvalidRequestError. */
export function parseEnvelope(text: string): Envelope {
  if (text === '') throw new InvalidRequestError('envelope is required: pass the JSON string encrypt returned');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidRequestError('envelope is not JSON: pass the string encrypt returned, unchanged');
  }
  const result = envelopeSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message));
    throw new InvalidRequestError(`envelope is malformed: ${[...new Set(issues)].join('; ')}`);
  }
  return result.data;
}
