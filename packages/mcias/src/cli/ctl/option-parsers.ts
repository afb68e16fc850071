import { InvalidArgumentError } from 'commander';
import { parseDuration } from '@metacircular/mcdsl';

/**
 * Parsers for option values, in commander's shape `(value, previous) => next`. A bad value
 * throws commander's InvalidArgumentError, which it reports as a usage error naming the option.
 */

/**
 * collect makes an option repeatable and comma-separated: `--role a --role b,c` gives
 * [a, b, c]; an empty value (`--role ''`) contributes nothing, so it can clear a list.
 */
export function collect(value: string, previous: string[] = []): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return [...previous, ...items];
}

/** parseInteger reads a whole number (e.g. --priority, --limit). */
export function parseInteger(value: string): number {
  const n = /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`"${value}" is not a whole number.`);
  return n;
}

/** parsePositiveInteger reads a whole number above zero. */
export function parsePositiveInteger(value: string): number {
  const n = parseInteger(value);
  if (n <= 0) throw new InvalidArgumentError(`"${value}" must be greater than 0.`);
  return n;
}

/**
 * parseInstant reads an RFC 3339 time ("2025-06-01T00:00:00Z", or a date "2025-06-01",
 * taken as UTC midnight) or a duration back from now ("24h", "90m").
 */
export function parseInstant(value: string, now: () => number = Date.now): Date {
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return new Date(ms);
  }
  try {
    return new Date(now() - parseDuration(value));
  } catch {
    throw new InvalidArgumentError(`"${value}" is neither an RFC 3339 time (2025-06-01T12:00:00Z) nor a duration ago (24h).`);
  }
}

/** parseChoice makes a parser that accepts one of a fixed set of words. */
export function parseChoice<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`"${value}" is not one of ${choices.join(', ')}.`);
    }
    return value as T;
  };
}
