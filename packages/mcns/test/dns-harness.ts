// Shared by the dns-*.test.ts integration tests: a real DNS server on 127.0.0.1 port 0 over a
// real SQLite store in a temp dir, and dig/kdig runners whose output is parsed into sections.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, openDatabase, type SqliteDatabase } from '@metacircular/mcdsl';
import { dnsSection, startDnsServer, type DnsServer, type StartDnsServerOptions } from '../src/dns/index.js';
import { openMcnsStore, type McnsStore, type Seed } from '../src/store/index.js';

/** DnsFixture is a running DNS server over its own store. */
export interface DnsFixture {
  readonly dir: string;
  readonly db: SqliteDatabase;
  readonly store: McnsStore;
  readonly server: DnsServer;
  readonly port: number;
  close(): Promise<void>;
}

/** startDnsFixture seeds a store in a temp dir and starts the DNS server on 127.0.0.1:0. */
export async function startDnsFixture(
  opts: { seed?: Seed; dns?: Record<string, unknown> } & Partial<Omit<StartDnsServerOptions, 'store' | 'config' | 'logger'>> = {},
): Promise<DnsFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-dns-'));
  const databasePath = join(dir, 'mcns.db');
  const db = openDatabase(databasePath);
  const store = openMcnsStore(db);
  if (opts.seed) store.seed(opts.seed);
  const config = dnsSection.parse({ listen_addr: '127.0.0.1:0', ...opts.dns });
  const logger = createLogger({ service: 'mcns-test', level: process.env['MCNS_TEST_LOG'] === '1' ? 'debug' : 'error' });
  try {
    const server = await startDnsServer({ ...opts, store, config, logger, databasePath });
    const close = async (): Promise<void> => {
      await server.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    };
    return { dir, db, store, server, port: server.addresses[0]!.port, close };
  } catch (err) {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** ToolResult is what a child process printed. */
export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** runTool runs an external tool, bounded to `timeoutMs`. */
export function runTool(path: string, args: readonly string[], timeoutMs = 15_000): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(path, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** DigAnswer is a dig or kdig reply: status, flags and each section as normalised record lines. */
export interface DigAnswer {
  readonly status: string;
  readonly flags: readonly string[];
  readonly answer: readonly string[];
  readonly authority: readonly string[];
  readonly additional: readonly string[];
  readonly raw: string;
}

/**
 * parseDig reads dig's and kdig's default output. Records become "name ttl class type rdata"
 * with single spaces, the name lower-cased; OPT pseudo-records are left out.
 */
export function parseDig(raw: string): DigAnswer {
  const status = /status: ([A-Z]+)/.exec(raw)?.[1] ?? '';
  const flags = (/;; [Ff]lags: ([a-z ]*);/.exec(raw)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const sections: Record<string, string[]> = { ANSWER: [], AUTHORITY: [], ADDITIONAL: [] };
  let current: string[] | undefined;
  for (const line of raw.split('\n')) {
    const header = /^;; (ANSWER|AUTHORITY|ADDITIONAL) SECTION:/.exec(line);
    if (header) {
      current = sections[header[1]!];
      continue;
    }
    if (line.trim() === '' || line.startsWith(';')) {
      if (line.trim() === '' || line.startsWith(';;')) current = undefined;
      continue;
    }
    if (current === undefined) continue;
    const parts = line.trim().split(/\s+/);
    if (parts[3] === 'OPT') continue;
    parts[0] = parts[0]!.toLowerCase();
    current.push(parts.join(' '));
  }
  return {
    status,
    flags,
    answer: sections['ANSWER']!,
    authority: sections['AUTHORITY']!,
    additional: sections['ADDITIONAL']!,
    raw,
  };
}

/** digAt runs dig (or kdig) against 127.0.0.1:port and parses the reply. */
export async function digAt(tool: string, port: number, args: readonly string[]): Promise<DigAnswer> {
  const common = tool.endsWith('kdig')
    ? ['@127.0.0.1', '-p', String(port), '+retry=2', '+time=2']
    : ['@127.0.0.1', '-p', String(port), '+tries=3', '+time=2'];
  const result = await runTool(tool, [...common, ...args]);
  assert.equal(result.code, 0, `${tool} ${args.join(' ')} failed: ${result.stderr}${result.stdout}`);
  return parseDig(result.stdout);
}

/** rdataOf lists the rdata (everything after the type) of a section's records of one type. */
export function rdataOf(records: readonly string[], type: string): string[] {
  return records
    .map((r) => r.split(' '))
    .filter((p) => p[3] === type)
    .map((p) => p.slice(4).join(' '))
    .sort();
}

/** pollUntil retries `check` every `intervalMs` until it returns true, at most `tries` times. */
export async function pollUntil(check: () => Promise<boolean>, tries: number, intervalMs: number): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return false;
}
