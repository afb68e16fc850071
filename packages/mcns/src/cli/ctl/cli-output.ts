/**
 * What mcnsctl prints: aligned tables and key/value blocks for people, and for scripts
 * (`--json`) the REST API's JSON as the server sent it. Results go to stdout, hints to stderr.
 */

/** renderTable aligns rows under a header; an empty table says "(none)". */
export function renderTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  if (rows.length === 0) return '(none)\n';
  const text = [headers.map(String), ...rows.map((row) => row.map((cell) => clean(String(cell))))];
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

/** renderFields shows one object as "label  value" lines. */
export function renderFields(fields: readonly (readonly [string, string | number])[]): string {
  const width = Math.max(...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${label.padEnd(width)}  ${clean(String(value))}`.trimEnd()).join('\n') + '\n';
}

/** printJson writes a value as indented JSON to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** print writes text to stdout. */
export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** note writes a hint or confirmation to stderr, keeping stdout for results. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

// Text from the server is shown stripped of control characters (no terminal escapes).
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
