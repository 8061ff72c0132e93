/**
 * The per-item cost of the transformation alone (flatten, plan, rebuild), no
 * I/O: a job's table plan applied to moviedata page by page, as copyPages
 * applies it.
 */
import type { Job } from '../../model/job.ts';
import type { Item } from '../../model/item.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { buildPlan } from '../../transformers/plan.ts';

const PAGE = 1_000;

export async function microsecondsPerItem(job: Job, keyAttributes: readonly string[], items: readonly Item[], total: number): Promise<number> {
  const table = job.tables[0]!;
  const plan = buildPlan(
    { transformers: table.transformers, defaults: job.defaults, keyAttributes, salt: typeof job.salt === 'string' ? job.salt : 'bench-salt', onTypeMismatch: table.onTypeMismatch },
    builtinRegistry,
  );
  const pages: Item[][] = [];
  for (let i = 0; i < items.length; i += PAGE) pages.push(items.slice(i, i + PAGE));
  const run = async (count: number): Promise<number> => {
    let done = 0;
    for (let p = 0; done < count; p++) {
      const page = pages[p % pages.length]!;
      // The privacy report's rows, counted per page as copyPages counts them.
      await plan.transformPage(page, { typeMismatches: 0, paths: new Map() });
      done += page.length;
    }
    return done;
  };
  await run(Math.min(total, 5_000)); // warm up the JIT
  const start = process.hrtime.bigint();
  const done = await run(total);
  return Number(process.hrtime.bigint() - start) / 1e3 / done;
}
