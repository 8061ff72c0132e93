/**
 * How long a copy takes when several ceilings apply at once, each as items
 * per second: the slowest ceiling at each moment sets the pace. A ceiling
 * that is an on-demand table's warm throughput is not fixed: DynamoDB serves
 * up to twice a table's previous peak at once and throttles beyond that
 * within 30 minutes ("Pre-warming a table for on-demand capacity mode",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/pre-warming-on-demand-capacity-mode.html),
 * so a copy that keeps it busy is taken to double it every 30 minutes.
 */

export type BoundName =
  /** --workers × --items-per-second-per-worker. */
  | 'workers'
  /** One worker per segment at a time: segments × --items-per-second-per-worker. */
  | 'segments'
  | 'readRateLimit'
  | 'writeRateLimit'
  /** The source's provisioned read capacity or warm read throughput, shared with its own traffic. */
  | 'sourceCapacity'
  /** 3,000 read units per second per partition; a segment reads one key range at a time. */
  | 'sourcePartitions'
  /** The destination's provisioned write capacity or warm write throughput. */
  | 'destinationCapacity'
  /**
   * 1,000 write units per second per partition. A segment's items arrive in
   * key order, so its writes move through the destination one partition at a
   * time: the "rolling hot partition" of
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/BulkPutItems.BestPractices.html
   */
  | 'destinationPartitions';

export interface RateBound {
  name: BoundName;
  itemsPerSecond: number;
  /** Set for an on-demand table's warm throughput: the ceiling doubles this often while the copy keeps it busy. */
  doublesEverySeconds?: number;
}

export interface Stretch {
  bound: BoundName;
  seconds: number;
}

export interface DurationEstimate {
  seconds: number;
  /** The ceiling that held longest; undefined when there is nothing to copy. */
  bound: BoundName | undefined;
  /** Which ceiling held when, in order. */
  stretches: Stretch[];
  /** Every ceiling considered, at its starting rate. */
  bounds: RateBound[];
}

export const ON_DEMAND_DOUBLING_SECONDS = 30 * 60;

export function estimateDuration(items: number, bounds: readonly RateBound[]): DurationEstimate {
  if (!(items > 0)) return { seconds: 0, bound: undefined, stretches: [], bounds: [...bounds] };
  for (const bound of bounds) {
    if (!(bound.itemsPerSecond > 0)) throw new RangeError(`bound ${bound.name}: items per second must be positive, not ${bound.itemsPerSecond}`);
  }
  const steady = bounds.filter((b) => b.doublesEverySeconds === undefined);
  const ramping = bounds.filter((b) => b.doublesEverySeconds !== undefined);
  if (steady.length === 0) throw new RangeError('at least one bound must be steady, or a copy could speed up without end');
  const steadyFloor = Math.min(...steady.map((b) => b.itemsPerSecond));

  const rateAt = (bound: RateBound, t: number) =>
    bound.doublesEverySeconds === undefined ? bound.itemsPerSecond : bound.itemsPerSecond * 2 ** Math.floor(t / bound.doublesEverySeconds);

  const stretches: Stretch[] = [];
  let t = 0;
  let remaining = items;
  for (;;) {
    const slowest = bounds.reduce((a, b) => (rateAt(b, t) < rateAt(a, t) ? b : a));
    const rate = rateAt(slowest, t);
    // Only a ramping ceiling still below every steady one can change the pace later.
    const changes = ramping.filter((b) => rateAt(b, t) < steadyFloor).map((b) => (Math.floor(t / b.doublesEverySeconds!) + 1) * b.doublesEverySeconds!);
    const next = changes.length > 0 ? Math.min(...changes) : Infinity;
    const done = t + remaining / rate;
    const end = Math.min(done, next);
    addStretch(stretches, slowest.name, end - t);
    if (done <= next) return { seconds: done, bound: longest(stretches), stretches, bounds: [...bounds] };
    remaining -= rate * (next - t);
    t = next;
  }
}

function addStretch(stretches: Stretch[], bound: BoundName, seconds: number): void {
  const last = stretches.at(-1);
  if (last?.bound === bound) last.seconds += seconds;
  else stretches.push({ bound, seconds });
}

function longest(stretches: readonly Stretch[]): BoundName {
  const total = new Map<BoundName, number>();
  for (const { bound, seconds } of stretches) total.set(bound, (total.get(bound) ?? 0) + seconds);
  return [...total].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}
