import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
const REPO_ROOT = path.resolve(__dirname, '../../..');

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Every process's parent and CPU ticks (user + system, all its threads), from /proc. */
function processTree(): { parent: Map<number, number>; ticks: Map<number, number> } {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(fields[1]));
      ticks.set(Number(name), Number(fields[11]) + Number(fields[12]));
    } catch {
      // the process ended meanwhile
    }
  }
  return { parent, ticks };
}

/** A process and all its descendants (e.g. a server started through `taskset`, with its workers). */
export function processTreePids(root: number): number[] {
  return descendants(root, processTree().parent);
}

function descendants(root: number, parent: ReadonlyMap<number, number>): number[] {
  return [...parent.keys()].filter((pid) => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) if (p === root) return true;
    return false;
  });
}

/**
 * CPU seconds (user + system) used so far by a process and all its descendants (e.g. LitServe's API
 * server and inference workers). Benchmarks on a shared machine divide the work done by the server's
 * CPU-seconds: what one dedicated core would do, whatever else ran.
 */
export function processTreeCpuSeconds(root: number): number {
  const { parent, ticks } = processTree();
  let total = 0;
  for (const pid of descendants(root, parent)) total += ticks.get(pid) ?? 0;
  return total / TICKS_PER_SECOND;
}

/** The local infrastructure servers' pids (Elasticsearch, Kafka, Cassandra), from infra/local's pid files (read only). */
export function infraPids(infraDir = process.env.SEARCH_MESH_INFRA_DIR ?? path.join(REPO_ROOT, '.infra')): Record<string, number> {
  const run = path.join(infraDir, 'run');
  if (!existsSync(run)) return {};
  const out: Record<string, number> = {};
  for (const file of readdirSync(run).filter((f) => f.endsWith('.pid'))) out[file.replace(/\.pid$/, '')] = Number(readFileSync(path.join(run, file), 'utf8').trim());
  return out;
}
