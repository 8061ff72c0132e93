/**
 * A page mapped item by item that hands the event loop back every few
 * milliseconds. A worker transforms the pages of all its segments on one
 * thread, and a 1 MB page through a costly mapping takes ~170 ms of CPU
 * (the bench's realistic mix, ~85 µs an item): done in one go, no other
 * segment's write is answered or sent meanwhile, so the destination sits
 * idle once the requests in flight are done. In slices, the other segments
 * keep it busy while this one transforms.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** CPU time one slice may take before the event loop gets a turn: short beside a write's round trip, long beside a turn's cost (~10 µs). */
export const SLICE_MS = 4;

/** Items between clock reads: a read costs ~30 ns, a cheap item (passthrough) ~5 µs. */
const CHECK_EVERY = 8;

/** `items.map(fn)`, with a turn of the event loop after every `sliceMs` of work; the order of calls is the same. */
export async function mapYielding<T, U>(items: readonly T[], fn: (item: T, index: number) => U, sliceMs = SLICE_MS): Promise<U[]> {
  const out: U[] = [];
  let sliceEnd = performance.now() + sliceMs;
  for (let index = 0; index < items.length; index++) {
    out.push(fn(items[index]!, index));
    if (index % CHECK_EVERY === CHECK_EVERY - 1 && index < items.length - 1 && performance.now() >= sliceEnd) {
      await nextTurn();
      sliceEnd = performance.now() + sliceMs;
    }
  }
  return out;
}
