/**
 * Pages of one plan spread over several real sandbox processes, with the
 * same results as through one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Item } from '../../model/item.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { buildPlan, type PlanRuntime } from '../../transformers/plan.ts';
import { SandboxPool } from '../../transformers/js/sandbox-pool.ts';
import { SandboxProcesses, sandboxPoolFor } from './sandbox-processes.ts';

const spread = new SandboxProcesses(2);
const single = new SandboxPool();
afterAll(() => {
  spread.close();
  single.close();
});

const plan = (runtime: PlanRuntime) =>
  buildPlan(
    { transformers: { note: { type: 'js', options: { code: "return value.toUpperCase() + '!'" } } }, defaults: {}, keyAttributes: ['id'], salt: 's' },
    builtinRegistry,
    runtime,
  );

const page = (from: number): Item[] => Array.from({ length: 50 }, (_, i) => ({ id: { N: String(from + i) }, note: { S: `note ${from + i}` } }));

describe('several sandbox processes', () => {
  it('take pages in flight at the same time, one process each, and give what one process gives', async () => {
    const overOne = plan({ sandboxes: single });
    const overTwo = plan({ sandboxes: spread });
    const pages = [page(0), page(50), page(100), page(150)];
    const [spreadOut, singleOut] = await Promise.all([Promise.all(pages.map((p) => overTwo.transformPage(p))), Promise.all(pages.map((p) => overOne.transformPage(p)))]);
    expect(spreadOut).toEqual(singleOut);
    expect(spreadOut[3]![0]).toEqual({ id: { N: '150' }, note: { S: 'NOTE 150!' } });
    expect(spread.processStarts).toBe(2);
    overTwo.dispose();
    overOne.dispose();
  }, 60_000); // three processes start: several seconds on a shared machine

  it('are the process-wide pool when there is one', () => {
    expect(sandboxPoolFor(1)).toBeUndefined();
    expect(sandboxPoolFor(3)).toBeInstanceOf(SandboxProcesses);
  });
});
