/**
 * What mciasctl prints: aligned tables and key/value blocks for people, and JSON for scripts
 * (`--json`), with the REST API's snake_case field names and RFC 3339 instants, so a script
 * written against `curl` output reads mciasctl output the same way. Results go to stdout,
 * hints and progress to stderr.
 */

/** Cell is what a table or field shows; arrays are joined with commas, Dates shown in UTC. */
export type Cell = string | number | boolean | Date | readonly string[] | undefined;

/**
 * renderTable aligns rows under a header; an empty table says "(none)". Cells longer than
 * `maxCell` characters are cut with "…" (the full values are in --json output).
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[], maxCell = 60): string {
  if (rows.length === 0) return '(none)\n';
  const cut = (text: string): string => (text.length > maxCell ? `${text.slice(0, maxCell - 1)}…` : text);
  const text = [headers.map(String), ...rows.map((row) => row.map((cell) => cut(cellText(cell))))];
  const widths = headers.map((_, col) => Math.max(...text.map((row) => (row[col] ?? '').length)));
  return (
    text
      .map((row) =>
        row
          .map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col] ?? 0)))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** renderFields shows one record as "Label   value" lines. */
export function renderFields(fields: readonly (readonly [string, Cell])[]): string {
  const width = Math.max(...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${label.padEnd(width)}  ${cellText(value)}`.trimEnd()).join('\n') + '\n';
}

/** cellText renders one value for people; text from the server is stripped of control characters. */
export function cellText(value: Cell): string {
  if (value === undefined || value === '') return '-';
  if (value instanceof Date) return formatTime(value);
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(clean).join(',');
  return clean(String(value));
}

/** formatTime shows an instant as "2025-01-02 15:04:05Z". */
export function formatTime(date: Date): string {
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

/**
 * toJsonOutput converts a client value to the REST JSON form: camelCase keys to snake_case,
 * Dates to RFC 3339. Keys under `details` (free-form audit data) are left as they are.
 */
export function toJsonOutput(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJsonOutput);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[snakeCase(key)] = key === 'details' ? v : toJsonOutput(v);
    }
    return out;
  }
  return value;
}

/** printJson writes a value as indented JSON (see toJsonOutput) to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(toJsonOutput(value), null, 2) + '\n');
}

/** print writes text to stdout. */
export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** note writes a hint or progress line to stderr, keeping stdout for results. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
