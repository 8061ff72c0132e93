/**
 * `dynamask plan`'s text: one block per table, a total, and the prices and
 * assumptions it rests on, so a reader can redo the sums. Only names, counts,
 * sizes and the read plan's wording appear; never an item value.
 */
import type { BoundName, DurationEstimate, RateBound } from './duration.ts';
import type { JobEstimate } from './job-estimate.ts';
import { formatShare, type TableEstimate } from './table-estimate.ts';

export function renderJobEstimate(estimate: JobEstimate): string {
  const lines: string[] = [];
  for (const table of estimate.tables) lines.push(...renderTable(table), '');
  const { total, prices, assumptions } = estimate;
  const many = estimate.tables.length > 1;
  lines.push(
    `total: ${units(total.readUnits)} RCU, ${units(total.writeUnits)} WCU, ${money(total.cost.total)} on demand, ${duration(total.seconds)}` +
      (many ? (total.boundBy.kind === 'workers' ? ' (tables run at once; together they keep the workers busy that long)' : ` (tables run at once; ${total.boundBy.source} takes longest)`) : ''),
    `prices: ${prices.currency} ${prices.readPerMillion} per million read and ${prices.writePerMillion} per million write request units ` +
      `(${prices.source}; --read-price, --write-price)`,
    `assumed: ${count(assumptions.workers)} worker${assumptions.workers === 1 ? '' : 's'} at ${count(assumptions.itemsPerSecondPerWorker)} items/s each ` +
      '(--workers, --items-per-second-per-worker; see README "Sizing")',
  );
  return lines.join('\n');
}

function renderTable(t: TableEstimate): string[] {
  const atLeast = (flag: boolean) => (flag ? 'at least ' : '');
  const lines = [`${t.source} -> ${t.destination} (${t.mode})`];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(9)} ${text}`);
  row('table', `${atLeast(t.table.atLeast)}${count(t.table.items)} items, ${bytes(t.table.bytes)} (${t.table.from === 'sample' ? 'from the sample' : 'DescribeTable'})`);
  row('read plan', `${t.readPlan.text}: ${t.readPlan.readsWholeTable ? 'reads the whole table' : 'reads only the partitions it names'}`);
  const sample = t.sample.complete ? `all ${count(t.sample.read)} items read` : `${count(t.sample.read)} items read`;
  row('sample', t.sample.tested === t.sample.read ? `${sample}, ${count(t.sample.selected)} selected` : `${sample}; ${count(t.sample.selected)} of ${count(t.sample.tested)} tested selected`);
  row('subset', `${atLeast(t.selected.atLeast)}${count(t.selected.items)} items (${formatShare(t.selected.share)})`);
  const other = t.read.consistency === 'strong' ? `eventually consistent: ${units(t.read.unitsIf.eventual)}` : `strongly consistent: ${units(t.read.unitsIf.strong)}`;
  row('reads', `${atLeast(t.read.atLeast)}${count(t.read.items)} items, ${bytes(t.read.bytes)}: ${units(t.read.units)} RCU ${t.read.consistency === 'strong' ? 'strongly' : 'eventually'} consistent (${other})`);
  row('writes', `${atLeast(t.write.atLeast)}${count(t.write.items)} items of ~${bytes(t.write.averageItemBytes)}: ${units(t.write.units)} WCU`);
  if (t.prune) row('prune', `${count(t.prune.checkedItems)} keys checked, ${count(t.prune.deletes)} deleted: ${units(t.prune.readUnits)} RCU, ${units(t.prune.writeUnits)} WCU`);
  row('cost', `${money(t.cost.read)} reads + ${money(t.cost.write)} writes = ${money(t.cost.total)} on demand`);
  const copyShare = t.selected.share;
  row('duration', `${atLeast(t.read.atLeast)}${duration(t.duration.seconds)}${describeDuration(t.duration.copy, copyShare)}${t.duration.prune ? `; prune ${duration(t.duration.prune.seconds)}${describeDuration(t.duration.prune, undefined)}` : ''}`);
  for (const note of t.notes) lines.push(`  note: ${note}`);
  return lines;
}

/** `share`: the copy's selected share, to show its ceilings in items written per second; undefined for the prune, whose work is keys checked. */
function describeDuration(d: DurationEstimate, share: number | undefined): string {
  if (d.bound === undefined) return '';
  const byName = new Map(d.bounds.map((b) => [b.name, b]));
  const label = (name: BoundName) => describeBound(byName.get(name)!, share);
  if (d.stretches.length === 1) return `, bounded by ${label(d.bound)}`;
  const parts = d.stretches.map((s, i) => `${label(s.bound)}${i < d.stretches.length - 1 ? ` for ${duration(s.seconds)}` : ''}`);
  return `, bounded by ${parts.join(', then ')}`;
}

const BOUND_TEXT: Record<BoundName, string> = {
  workers: 'the workers',
  segments: 'the segments (one worker each at a time)',
  readRateLimit: 'readRateLimit',
  writeRateLimit: 'writeRateLimit',
  sourceCapacity: "the source's read capacity",
  sourcePartitions: 'source partitions (3,000 read units/s per segment)',
  destinationCapacity: "the destination's write capacity",
  destinationPartitions: 'destination partitions (1,000 write units/s per segment)',
};

function describeBound(bound: RateBound, share: number | undefined): string {
  const ramp = bound.doublesEverySeconds !== undefined ? ' at first, doubling every 30 min' : '';
  const rate = share === undefined ? `${count(bound.itemsPerSecond)} keys/s` : share > 0 ? `${count(bound.itemsPerSecond * share)} items written/s` : `${count(bound.itemsPerSecond)} items read/s`;
  return `${BOUND_TEXT[bound.name]} (~${rate}${ramp})`;
}

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Capacity units keep one decimal: eventually consistent reads come in halves. */
export function units(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

export function money(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toPrecision(2)}`;
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function bytes(n: number): string {
  const steps = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = n;
  let step = 0;
  while (value >= 1024 && step < steps.length - 1) {
    value /= 1024;
    step++;
  }
  return step === 0 ? `${Math.round(value)} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${steps[step]}`;
}

export function duration(seconds: number): string {
  if (seconds < 1) return seconds === 0 ? '0 s' : '<1 s';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}
