import { z } from 'zod';
import { InvalidRequestError } from '../errors/index.js';

/**
 * Durations in config files use Go's syntax ("30s", "1h30m", "500ms", "8760h") so that configs
 * written for the Go services keep working. They are parsed to milliseconds, the unit every
 * Node timer and socket option takes.
 */

const msPerUnit: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

// One "<number><unit>" group; Go allows "1.5h" and ".5s" but not a bare number (except "0").
const groupPattern = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * parseDuration turns a Go duration string into milliseconds, e.g. "1h30m" -> 5400000 and
 * "500ms" -> 500; it throws InvalidRequestError naming the bad string on anything else.
 */
export function parseDuration(text: string): number {
  const bad = (): InvalidRequestError =>
    new InvalidRequestError(`invalid duration ${JSON.stringify(text)}: use Go syntax like "30s", "1h30m" or "500ms"`, {
      code: 'ERR_INVALID_DURATION',
    });
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw bad();
  let total = 0;
  groupPattern.lastIndex = 0;
  while (groupPattern.lastIndex < rest.length) {
    const match = groupPattern.exec(rest);
    if (match === null) throw bad();
    const [, amount, unit] = match;
    total += Number(amount) * (msPerUnit[unit ?? ''] ?? Number.NaN);
  }
  if (!Number.isFinite(total)) throw bad();
  return sign * total;
}

/** DurationSchema is the zod type `duration()` returns: a string in, milliseconds out. */
export type DurationSchema = z.ZodPipe<z.ZodString, z.ZodTransform<number, string>>;

/**
 * duration is the zod type of a config duration: a non-negative Go duration string, parsed to
 * milliseconds. With a default (itself a duration string, e.g. duration('30s')) the key may be
 * left out of the file.
 */
export function duration(): DurationSchema;
export function duration(defaultValue: string): z.ZodPrefault<DurationSchema>;
export function duration(defaultValue?: string): DurationSchema | z.ZodPrefault<DurationSchema> {
  const schema = z.string().transform((text, ctx) => {
    try {
      const ms = parseDuration(text);
      if (ms >= 0) return ms;
      ctx.addIssue({ code: 'custom', message: `duration ${JSON.stringify(text)} must not be negative` });
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
    return z.NEVER;
  });
  // prefault (not default) so the default string goes through the same parse as a file value.
  return defaultValue === undefined ? schema : schema.prefault(defaultValue);
}
