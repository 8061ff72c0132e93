/**
 * A job's tables together. They run at once (one copyTable child each) and
 * share the workers on the task queue, so the job takes at least as long as
 * its slowest table and at least as long as the workers need for all of
 * their items.
 */
import { onDemandCost, type Cost, type Prices } from './cost.ts';
import type { EstimateOptions, TableEstimate } from './table-estimate.ts';

export interface JobEstimate {
  job: string;
  prices: Prices & { source: string; currency: 'USD' };
  assumptions: { workers: number; itemsPerSecondPerWorker: number };
  tables: TableEstimate[];
  total: {
    readUnits: number;
    writeUnits: number;
    cost: Cost;
    seconds: number;
    /** 'workers' when the tables together need the workers longer than the slowest table takes; else that table's source. */
    boundBy: { kind: 'workers' } | { kind: 'table'; source: string };
  };
}

export function estimateJob(
  job: string,
  tables: TableEstimate[],
  options: EstimateOptions & { prices: Prices & { source: string } },
): JobEstimate {
  const readUnits = tables.reduce((sum, t) => sum + t.read.units + (t.prune?.readUnits ?? 0), 0);
  const writeUnits = tables.reduce((sum, t) => sum + t.write.units + (t.prune?.writeUnits ?? 0), 0);
  const slowest = tables.reduce<TableEstimate | undefined>((a, b) => (a === undefined || b.duration.seconds > a.duration.seconds ? b : a), undefined);
  const workItems = tables.reduce((sum, t) => sum + t.write.items + (t.prune?.checkedItems ?? 0), 0);
  const workersSeconds = workItems / (options.workers * options.itemsPerSecondPerWorker);
  const slowestSeconds = slowest?.duration.seconds ?? 0;
  const seconds = Math.max(slowestSeconds, workersSeconds);
  return {
    job,
    prices: { ...options.prices, currency: 'USD' },
    assumptions: { workers: options.workers, itemsPerSecondPerWorker: options.itemsPerSecondPerWorker },
    tables,
    total: {
      readUnits,
      writeUnits,
      cost: onDemandCost(readUnits, writeUnits, options.prices),
      seconds,
      boundBy: workersSeconds > slowestSeconds || slowest === undefined ? { kind: 'workers' } : { kind: 'table', source: slowest.source },
    },
  };
}
