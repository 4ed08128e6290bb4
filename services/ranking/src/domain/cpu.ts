/**
 * How many cores the container may use: cgroup v2 `cpu.max` ("<quota> <period>", or "max <period>" for no
 * limit), rounded up; the machine's parallelism when unlimited or unknown. ONNX Runtime's intra-op threads
 * are sized from it: more threads than the CPU quota only get throttled.
 */
export function coresFromCpuMax(cpuMax: string | undefined, available: number): number {
  const [quota, period] = (cpuMax ?? '').trim().split(/\s+/);
  const q = Number(quota);
  const p = Number(period);
  if (quota === 'max' || !Number.isFinite(q) || !Number.isFinite(p) || q <= 0 || p <= 0) return Math.max(1, available);
  return Math.max(1, Math.min(available, Math.ceil(q / p)));
}
