import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from './heap-growth.ts';

const run = promisify(execFile);
const MODULE = new URL('./heap-growth.ts', import.meta.url).href;

/**
 * A process that keeps ~40 pages of 2,000 small items alive while it makes
 * 400 of them, as a copying worker keeps its pages in flight: the largest
 * heap it reached, after limitHeapGrowth(percent) as its first step.
 */
const CHURN = `
import { limitHeapGrowth } from ${JSON.stringify(MODULE)};
const set = limitHeapGrowth(Number(process.argv[1]));
const pages = [];
let peak = 0;
for (let round = 0; round < 400; round++) {
  const page = [];
  for (let i = 0; i < 2000; i++) page.push({ title: 'x'.repeat(50) + i, year: i, info: { genres: [1, 2, 3], plot: 'y'.repeat(200) } });
  pages.push(page);
  if (pages.length > 40) pages.shift();
  peak = Math.max(peak, process.memoryUsage().heapTotal);
}
console.log(JSON.stringify({ set, peakMiB: peak / 2 ** 20 }));
`;

async function churn(percent: number, nodeFlags: readonly string[] = []): Promise<{ set: boolean; peakMiB: number }> {
  const { stdout } = await run(process.execPath, ['--max-semi-space-size=8', ...nodeFlags, '--input-type=module', '--eval', CHURN, String(percent)]);
  return JSON.parse(stdout) as { set: boolean; peakMiB: number };
}

describe('limitHeapGrowth', () => {
  it('holds a churning heap well under where V8 lets it grow on its own', async () => {
    const [own, limited] = await Promise.all([churn(0), churn(20)]);
    expect(own.set).toBe(false);
    expect(limited.set).toBe(true);
    // ~60 MB live: measured a heap of ~280 MiB on V8's own growth and ~140 with 20%.
    expect(limited.peakMiB).toBeLessThan(own.peakMiB * 0.75);
  });

  it("leaves Node's own --heap-growing-percent in place", async () => {
    expect(limitHeapGrowth(20, ['--max-semi-space-size=8', '--heap-growing-percent=50'])).toBe(false);
    expect(limitHeapGrowth(20, ['--heap-growing-percent', '50'])).toBe(false);
    expect(limitHeapGrowth(20, ['--heap_growing_percent=50'])).toBe(false);
    expect(limitHeapGrowth(20, ['--heap-growing-percentage=50'])).toBe(true);
    expect((await churn(20, ['--heap-growing-percent=300'])).set).toBe(false);
  });
});
