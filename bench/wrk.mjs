// wrk drives a load from a separate process (Debian package `wrk`) and reports throughput and
// latency percentiles. This module runs it and parses its --latency output.
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * runWrk loads `url` for `seconds` with `connections` keep-alive connections and returns
 * { requestsPerSecond, p50Ms, p99Ms, requests, errors }. `method`, `body` and `headers`
 * become a small Lua script.
 */
export async function runWrk({ url, seconds = 10, connections = 16, threads = 1, method = 'GET', body, headers = {} }) {
  const dir = mkdtempSync(join(tmpdir(), 'mc-wrk-'));
  const script = join(dir, 'request.lua');
  const lines = [`wrk.method = ${JSON.stringify(method)}`];
  if (body !== undefined) lines.push(`wrk.body = ${JSON.stringify(body)}`);
  for (const [k, v] of Object.entries(headers)) lines.push(`wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`);
  writeFileSync(script, lines.join('\n') + '\n');
  const args = [
    '-t',
    String(threads),
    '-c',
    String(connections),
    '-d',
    `${seconds}s`,
    '--timeout',
    '5s',
    '--latency',
    '-s',
    script,
    url,
  ];
  const out = await new Promise((resolve, reject) => {
    const child = spawn('wrk', args);
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('error', (err) => reject(new Error(`wrk could not run (apt-get install wrk): ${err.message}`)));
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}:\n${text}`))));
  });
  return { ...parseWrk(out), raw: out };
}

function toMs(value, unit) {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : unit === 'm' ? n * 60000 : n;
}

function parseWrk(text) {
  const pct = (p) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(text);
    return m ? toMs(m[1], m[2]) : NaN;
  };
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const total = /(\d+) requests in/.exec(text);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(text);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const errors = (non2xx ? Number(non2xx[1]) : 0) + (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return {
    requestsPerSecond: rps ? Number(rps[1]) : NaN,
    p50Ms: pct(50),
    p99Ms: pct(99),
    requests: total ? Number(total[1]) : NaN,
    errors,
  };
}
