/**
 * Where a case's CPU went, from /proc: DynamoDB Local (java), the Temporal
 * dev server, the bench process (which runs the SDK copies), the dynamask
 * worker processes (and their sandbox processes), and the rest of the
 * machine. On 2 cores shared by all of them, a copy is only as fast as the
 * CPU DynamoDB Local gets: comparing its CPU seconds per item between a
 * hand-written copy and dynamask's tells a ceiling from a slower pipeline.
 * Linux only; elsewhere `cpuSnapshot` returns undefined and cases carry no
 * breakdown.
 */
import { readdir, readFile } from 'node:fs/promises';

/** USER_HZ: what /proc counts CPU time in, 100 on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

export type CpuGroup = 'dynamodbLocal' | 'temporal' | 'bench' | 'workers' | 'other';

export interface CpuSnapshot {
  /** Per live process: its group and CPU ticks so far. */
  processes: Map<number, { group: CpuGroup; ticks: number }>;
  /** The machine's busy and stolen ticks (all CPUs), from /proc/stat. */
  busy: number;
  steal: number;
  at: number;
}

export interface CpuBreakdown {
  /** CPU seconds per group over the case; a process that ended during it counts up to its last snapshot only. */
  seconds: Record<CpuGroup, number>;
  /** CPU seconds busy outside the processes seen (ended ones, the kernel), and what the hypervisor gave other guests. */
  outsideSeconds: number;
  stealSeconds: number;
  /** The machine's average busy cores over the case. */
  busyCores: number;
}

export function groupOf(pid: number, comm: string): CpuGroup {
  if (pid === process.pid) return 'bench';
  if (comm === 'java') return 'dynamodbLocal';
  if (comm.startsWith('temporal')) return 'temporal';
  // The bench starts no node process but workers, and those start their sandbox processes.
  if (comm === 'node' || comm === 'MainThread') return 'workers';
  return 'other';
}

/** utime + stime of /proc/<pid>/stat; comm is in parentheses and may hold spaces. */
export function parseStat(text: string): { comm: string; ticks: number } {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // After the comm: state is field 3; utime and stime are fields 14 and 15.
  return { comm: text.slice(open + 1, close), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** /proc/<pid>/stat parsed; undefined when the process is gone, or off Linux. */
async function readStat(pid: number): Promise<{ comm: string; ticks: number } | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseStat(text);
}

/** CPU µs (user + system) process `pid` has used so far, at /proc's 10 ms grain; undefined off Linux. */
export async function processCpuMicroseconds(pid: number): Promise<number | undefined> {
  const stat = await readStat(pid);
  return stat === undefined ? undefined : (stat.ticks / TICKS_PER_SECOND) * 1e6;
}

export async function cpuSnapshot(): Promise<CpuSnapshot | undefined> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  // cpu user nice system idle iowait irq softirq steal guest guest_nice
  const [user, nice, system, , , irq, softirq, steal] = stat.split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number) as number[];
  const processes = new Map<number, { group: CpuGroup; ticks: number }>();
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await readStat(pid);
      if (stat !== undefined) processes.set(pid, { group: groupOf(pid, stat.comm), ticks: stat.ticks });
    }),
  );
  return { processes, busy: user! + nice! + system! + irq! + softirq!, steal: steal ?? 0, at: performance.now() };
}

export function cpuBetween(start: CpuSnapshot | undefined, end: CpuSnapshot | undefined): CpuBreakdown | undefined {
  if (start === undefined || end === undefined) return undefined;
  const ticks: Record<CpuGroup, number> = { dynamodbLocal: 0, temporal: 0, bench: 0, workers: 0, other: 0 };
  for (const [pid, { group, ticks: now }] of end.processes) {
    ticks[group] += now - (start.processes.get(pid)?.ticks ?? 0);
  }
  const seconds = (t: number) => Math.round((t / TICKS_PER_SECOND) * 10) / 10;
  const ours = Object.values(ticks).reduce((sum, t) => sum + t, 0);
  const busy = end.busy - start.busy;
  const wall = (end.at - start.at) / 1000;
  return {
    seconds: { dynamodbLocal: seconds(ticks.dynamodbLocal), temporal: seconds(ticks.temporal), bench: seconds(ticks.bench), workers: seconds(ticks.workers), other: seconds(ticks.other) },
    outsideSeconds: seconds(Math.max(0, busy - ours)),
    stealSeconds: seconds(end.steal - start.steal),
    busyCores: Math.round((busy / TICKS_PER_SECOND / wall) * 100) / 100,
  };
}
