import { randomBytes } from 'node:crypto';
import { InvalidRequestError } from '@metacircular/mcdsl';

/**
 * Certificate serial numbers: 16 random bytes (RFC 5280 asks for at most 20 and positive; the
 * CA/Browser Forum for at least 64 random bits). The first byte is forced into 0x40-0x7f so the
 * number is positive without a sign byte and its hex form is always 32 digits: the record key
 * certs/{serial}, the API's serial and the certificate agree with no padding rules.
 */

/** randomSerial makes a fresh serial as bytes and lower-case hex. */
export function randomSerial(): { bytes: Buffer; hex: string } {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x3f) | 0x40;
  return { bytes, hex: bytes.toString('hex') };
}

/**
 * normalizeSerial reads a serial as people and tools write it ("4A:1B:...", "0x4a1b...", upper or
 * lower case, with leading zero bytes) and returns the stored form, or throws InvalidRequestError.
 */
export function normalizeSerial(value: string, field = 'serial'): string {
  let hex = value
    .trim()
    .toLowerCase()
    .replace(/^0x/, '')
    .replace(/[:\s-]/g, '');
  if (!/^[0-9a-f]{1,64}$/.test(hex))
    throw new InvalidRequestError(`${field}: ${JSON.stringify(value)} is not a hexadecimal serial number`);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  while (hex.length > 2 && hex.startsWith('00')) hex = hex.slice(2);
  return hex;
}
