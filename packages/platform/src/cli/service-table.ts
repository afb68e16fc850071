import { isAbsolute, relative, resolve } from 'node:path';
import { defaultPlatformDir } from '../platform-layout.js';
import type { ServiceState } from '../platform-file.js';

/** TableEntry is what a row needs: a platform.json entry, or a status entry with `healthy`. */
export type TableEntry = { readonly state: ServiceState; readonly pid: number | null } & {
  readonly [field: string]: string | number | boolean | readonly string[] | null | undefined;
};

// Fields of an entry that are not endpoints.
const notEndpoints = new Set(['state', 'pid', 'health', 'healthy', 'config', 'data_dir', 'log']);

/** stateLabel is how a state reads in the table; `not_built` becomes "not built yet". */
export function stateLabel(state: ServiceState, healthy?: boolean | null): string {
  if (state === 'not_built') return 'not built yet';
  if (healthy === false) return `${state} (unhealthy)`;
  return state;
}

/**
 * renderServiceTable lays services out as SERVICE, STATE, PID, ENDPOINTS, one endpoint per
 * line, so a long URL never pushes the next column off screen.
 */
export function renderServiceTable(services: Readonly<Record<string, TableEntry>>): string {
  const rows = Object.entries(services).map(([name, entry]) => {
    const endpoints = Object.entries(entry)
      .filter(([key, value]) => !notEndpoints.has(key) && (typeof value === 'string' || Array.isArray(value)))
      .map(([key, value]) => `${key} ${Array.isArray(value) ? value.join(', ') : String(value)}`);
    const healthy = typeof entry['healthy'] === 'boolean' ? entry['healthy'] : null;
    return [[name], [stateLabel(entry.state, healthy)], [entry.pid === null ? '-' : String(entry.pid)], endpoints];
  });
  return renderTable(['SERVICE', 'STATE', 'PID', 'ENDPOINTS'], rows);
}

/** renderTable aligns columns of cells that may span several lines. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[][]): string {
  const widths = headers.map((header, col) =>
    Math.max(header.length, ...rows.flatMap((row) => (row[col] ?? []).map((line) => line.length))),
  );
  const lines = [formatLine(headers, widths)];
  for (const row of rows) {
    const height = Math.max(1, ...row.map((cell) => cell.length));
    for (let i = 0; i < height; i += 1)
      lines.push(
        formatLine(
          row.map((cell) => cell[i] ?? ''),
          widths,
        ),
      );
  }
  return lines.join('\n') + '\n';
}

function formatLine(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, col) => (col === cells.length - 1 ? cell : cell.padEnd(widths[col] ?? 0)))
    .join('   ')
    .trimEnd();
}

/** displayPath shows a path relative to the cwd when it is inside it, absolute otherwise. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? path : `./${rel}`;
}

/** dirFlag is the `--dir` to repeat in suggested commands; empty for the default directory. */
export function dirFlag(dir: string): string {
  if (dir === resolve(defaultPlatformDir)) return '';
  const shown = displayPath(dir);
  return ` --dir ${/^[\w./-]+$/.test(shown) ? shown : `'${shown.replaceAll("'", "'\\''")}'`}`;
}
