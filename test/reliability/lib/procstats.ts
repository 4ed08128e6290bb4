import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PAGE_BYTES = 4096;

/** utime + stime in seconds and resident memory in MB of a process (Linux /proc), or undefined once gone. */
function read(pid: number): { cpuS: number; rssMb: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuS = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const rssMb = (Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES) / 1024 / 1024;
    return { cpuS, rssMb };
  } catch {
    return undefined;
  }
}

/**
 * CPU (percent of one core, averaged over the sampling) and memory (peak resident MB) of named processes,
 * sampled every second; `pids` is asked each time, so a restarted process is followed.
 */
export class ProcessSampler {
  private readonly first = new Map<string, { cpuS: number; t: number }>();
  private readonly last = new Map<string, { cpuS: number; t: number }>();
  private readonly peakRss = new Map<string, number>();
  private readonly extraCpuS = new Map<string, number>();
  private readonly lastPid = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: () => Record<string, number | undefined>) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
  }

  stop(): Record<string, { cpuPercent: number; rssPeakMb: number }> {
    clearInterval(this.timer);
    this.sample();
    const out: Record<string, { cpuPercent: number; rssPeakMb: number }> = {};
    for (const [name, first] of this.first) {
      const last = this.last.get(name)!;
      const seconds = (last.t - first.t) / 1000;
      const cpu = last.cpuS - first.cpuS + (this.extraCpuS.get(name) ?? 0);
      out[name] = { cpuPercent: seconds > 0 ? Math.round((cpu / seconds) * 1000) / 10 : 0, rssPeakMb: Math.round(this.peakRss.get(name) ?? 0) };
    }
    return out;
  }

  private sample(): void {
    const now = Date.now();
    for (const [name, pid] of Object.entries(this.pids())) {
      if (pid === undefined) continue;
      const s = read(pid);
      if (!s) continue;
      // A new pid (a restart): what the old process used is kept, the new one counts from zero.
      if (this.lastPid.get(name) !== undefined && this.lastPid.get(name) !== pid) {
        const prev = this.last.get(name)!;
        const base = this.first.get(name)!;
        this.extraCpuS.set(name, (this.extraCpuS.get(name) ?? 0) + prev.cpuS - base.cpuS);
        this.first.set(name, { cpuS: s.cpuS, t: base.t });
      }
      this.lastPid.set(name, pid);
      if (!this.first.has(name)) this.first.set(name, { cpuS: s.cpuS, t: now });
      this.last.set(name, { cpuS: s.cpuS, t: now });
      this.peakRss.set(name, Math.max(this.peakRss.get(name) ?? 0, s.rssMb));
    }
  }
}

/** The machine a run had, as measured when it ended: cores and the load average of the last 5 minutes. */
export function machineNote(jvms: string): string {
  return `${cpus().length}-core VM, load average ${loadavg()[1]!.toFixed(1)} over the last 5 minutes; ${jvms}`;
}
