import { InvalidArgumentError } from 'commander';

/** parseSeconds reads a TTL or SOA interval given on the command line (whole seconds, 1 to 2^31-1). */
export function parseSeconds(raw: string): number {
  const n = /^\d{1,10}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 2147483647) {
    throw new InvalidArgumentError(`"${raw}" is not a whole number of seconds from 1 to 2147483647`);
  }
  return n;
}

/** parseRecordId reads a record id (a positive whole number, as `records list` shows it). */
export function parseRecordId(raw: string): string {
  if (!/^[1-9]\d{0,15}$/.test(raw.trim())) {
    throw new InvalidArgumentError(`"${raw}" is not a record id; \`mcnsctl records list <zone>\` shows them`);
  }
  return raw.trim();
}
