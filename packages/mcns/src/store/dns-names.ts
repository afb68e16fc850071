import { InvalidRequestError } from '@metacircular/mcdsl';

const labelPattern = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/**
 * normalizeDomainName lower-cases an absolute DNS name, drops one trailing dot and checks every
 * label (letters, digits, '-' not at either end, '_' for service labels such as _acme-challenge;
 * 1-63 octets; 253 in all). `field` names the input in the error.
 */
export function normalizeDomainName(raw: string, field: string): string {
  const name = raw.trim().toLowerCase().replace(/\.$/, '');
  if (name === '') throw new InvalidRequestError(`${field}: must be a domain name, got an empty string`);
  if (name.length > 253) throw new InvalidRequestError(`${field}: ${JSON.stringify(raw)} is longer than 253 characters`);
  for (const label of name.split('.')) {
    if (!labelPattern.test(label)) {
      throw new InvalidRequestError(
        `${field}: ${JSON.stringify(raw)} is not a valid domain name (label ${JSON.stringify(label)}: use 1-63 letters, digits, '-' or '_')`,
      );
    }
  }
  return name;
}

/**
 * normalizeRecordName turns a record owner name into its stored form: relative to the zone,
 * lower-case, '@' for the apex. A name ending in '.' is absolute and must lie inside the zone;
 * anything else is relative ("www", "_acme-challenge.api").
 */
export function normalizeRecordName(raw: string, zone: string): string {
  const trimmed = raw.trim();
  if (trimmed === '@' || trimmed === '') {
    if (trimmed === '') throw new InvalidRequestError("name: must be a name relative to the zone, or '@' for the apex");
    return '@';
  }
  if (trimmed.endsWith('.')) {
    const absolute = normalizeDomainName(trimmed, 'name');
    if (absolute === zone) return '@';
    if (!absolute.endsWith(`.${zone}`)) {
      throw new InvalidRequestError(`name: ${JSON.stringify(raw)} is not inside the zone ${zone}`);
    }
    return absolute.slice(0, -(zone.length + 1));
  }
  const relative = normalizeDomainName(trimmed, 'name');
  if (relative.length + zone.length + 1 > 253) {
    throw new InvalidRequestError(`name: ${JSON.stringify(raw)}.${zone} is longer than 253 characters`);
  }
  return relative;
}
