import { describe, expect, it } from 'vitest';
import { cpuBetween, cpuSnapshot, parseStat, type CpuGroup, type CpuSnapshot } from '../../bench/support/process-cpu.ts';

describe('process CPU accounting (bench)', () => {
  it('reads utime + stime after a comm that holds spaces and parentheses', () => {
    const line = '4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 731 269 5 7 20 0 9 0 1000 1 1';
    expect(parseStat(line)).toEqual({ comm: 'my (odd) name', ticks: 1000 });
  });

  it('counts per group what each process used between the snapshots, a new process from zero', () => {
    const snapshot = (at: number, busy: number, processes: [number, { group: CpuGroup; ticks: number }][]): CpuSnapshot => ({
      processes: new Map(processes),
      busy,
      steal: at / 100,
      at,
    });
    const start = snapshot(0, 1_000, [
      [10, { group: 'dynamodbLocal', ticks: 500 }],
      [11, { group: 'temporal', ticks: 40 }],
    ]);
    const end = snapshot(2_000, 1_400, [
      [10, { group: 'dynamodbLocal', ticks: 700 }],
      [11, { group: 'temporal', ticks: 50 }],
      [12, { group: 'workers', ticks: 150 }],
    ]);
    expect(cpuBetween(start, end)).toEqual({
      seconds: { dynamodbLocal: 2, temporal: 0.1, bench: 0, workers: 1.5, other: 0 },
      outsideSeconds: 0.4,
      stealSeconds: 0.2,
      busyCores: 2,
    });
  });

  it('finds this process among the live ones, when /proc is there', async () => {
    const snapshot = await cpuSnapshot();
    if (snapshot === undefined) return;
    expect(snapshot.processes.get(process.pid)?.group).toBe('bench');
  });
});
