/**
 * formatGoDuration writes milliseconds as a Go duration string the API reads back with mcdsl's
 * parseDuration: whole hours, minutes and seconds, zero parts left out ("16h", "1h30m", "90s"
 * is written "1m30s"); sub-second remainders are written in ms.
 */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return sign + parts.join('');
}
