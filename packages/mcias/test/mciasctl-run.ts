// Runs the compiled mciasctl as a child process for the mciasctl-*.test.ts files. Asynchronous
// on purpose: the MCIAS under test runs in the test's own process, so a synchronous spawn would
// block the server it is waiting for.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// From source (tsx) the test uses the build in dist/; compiled, it sits beside the build.
const fromSource = import.meta.url.endsWith('.ts');

/** mciasctlPath is the compiled CLI (build it with `npx tsc -b packages/mcias`). */
export const mciasctlPath = fileURLToPath(
  new URL(fromSource ? '../dist/src/cli/mciasctl.js' : '../src/cli/mciasctl.js', import.meta.url),
);

/** assertBuilt fails early, saying what to do, when the CLI has not been compiled. */
export function assertBuilt(): void {
  if (!existsSync(mciasctlPath)) throw new Error(`${mciasctlPath} is missing: run \`npx tsc -b packages/mcias\` first`);
}

/** CtlResult is how one run of mciasctl ended. */
export interface CtlResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * runCtl runs mciasctl with `args`, `stdin` piped in (or an empty stdin), and exactly the env
 * given plus PATH: nothing from the developer's environment (MCIAS_TOKEN, HOME) leaks in.
 */
export function runCtl(args: readonly string[], opts: { env: NodeJS.ProcessEnv; stdin?: string }): Promise<CtlResult> {
  const child = spawn(process.execPath, [mciasctlPath, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(opts.stdin ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
