import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { request } from 'undici';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns something other than undefined (a throw counts as not yet). */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

/** Polls `url` until it answers `status` (200 by default). */
export async function waitForHttp(url: string, { timeoutMs = 20_000, status = 200 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await request(url);
      await res.body.dump();
      if (res.statusCode === status) return;
      last = `status ${res.statusCode}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(50);
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}

export interface RunningProcess {
  child: ChildProcess;
  /** Everything the process wrote so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process ends. */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Runs a TypeScript entry point (relative to the repo root) as a real child process: one Node process
 * with tsx's loader (not the tsx CLI, whose extra parent process would survive a SIGKILL meant for it).
 */
export function runTs(entry: string, env: NodeJS.ProcessEnv = {}): RunningProcess {
  // SEARCH_MESH_CPU_PROF_DIR: every process started here writes a V8 CPU profile there when it exits;
  // SEARCH_MESH_CPU_PROF_INTERVAL_US samples less often than every 1000 µs, to disturb a latency run less.
  const interval = process.env.SEARCH_MESH_CPU_PROF_INTERVAL_US ? [`--cpu-prof-interval=${process.env.SEARCH_MESH_CPU_PROF_INTERVAL_US}`] : [];
  const profile = process.env.SEARCH_MESH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SEARCH_MESH_CPU_PROF_DIR}`, ...interval] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(REPO_ROOT, entry)], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return {
    child,
    output: () => output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Settings that turn a service's load shedding off (event-loop utilisation and delay), for tests about
 * something else on a shared machine, where CPU starvation reads as a busy event loop and a shed answer
 * would fall back. `service` as in its variables: `FACET`, `ORCHESTRATOR`, `QUERY_UNDERSTANDING`.
 */
export function noLoadShedding(service: string): NodeJS.ProcessEnv {
  return { [`SEARCH_MESH_${service}_MAX_EVENT_LOOP_UTILIZATION`]: '0', [`SEARCH_MESH_${service}_MAX_EVENT_LOOP_DELAY_MS`]: '0' };
}
export { infraPids, processTreeCpuSeconds, processTreePids } from './process-cpu';
export { histogramQuantiles, scrapeHistogram } from './histogram';
export { openLoop, quantile, type OpenLoopOptions, type OpenLoopResult, type PacedRequest } from './open-loop';
