import { createHash } from 'node:crypto';
import { buildPlan, type PlanRuntime, type TransformPlan } from '../../transformers/plan.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import type { CopyPagesInput } from './contracts.ts';

export type PlanCacheInput = Pick<CopyPagesInput, 'table' | 'defaults' | 'keyAttributes' | 'sandbox' | 'keysAreSensitive'> & {
  /** The resolved value (job-salt.ts), not the reference the workflow carries. */
  salt: string;
};

/**
 * Plans are built once per (table mapping and rule sets, salt, keys,
 * sandbox limits, key sensitivity) and reused across the many copyPages calls of a run:
 * building one instantiates every transformer, and a plan with JavaScript
 * holds an isolate with its scripts compiled. The least recently used plan
 * is evicted beyond the limit, and disposed (its isolate freed once no page
 * is running in it).
 *
 * Keyed by the salt's value (its digest), not its reference: the resolver
 * reads a reference again once its cache time is over, and a rotated salt
 * then gives a new key and a new plan, while an unchanged one finds the
 * plan it had.
 */
export class PlanCache {
  readonly #plans = new Map<string, TransformPlan>();
  readonly #limit: number;
  readonly #runtime: PlanRuntime;

  constructor(limit = 64, runtime: PlanRuntime = {}) {
    this.#limit = limit;
    this.#runtime = runtime;
  }

  get size(): number {
    return this.#plans.size;
  }

  get(input: PlanCacheInput, registry: TransformerRegistry): TransformPlan {
    const key = PlanCache.key(input);
    let plan = this.#plans.get(key);
    if (plan) {
      this.#plans.delete(key);
      this.#plans.set(key, plan);
      return plan;
    }
    plan = buildPlan(
      {
        transformers: input.table.transformers,
        ...(input.table.rules !== undefined && { rules: input.table.rules }),
        defaults: input.defaults,
        keyAttributes: input.keyAttributes,
        salt: input.salt,
        onTypeMismatch: input.table.onTypeMismatch,
        sandbox: input.sandbox,
        keysAreSensitive: input.keysAreSensitive,
      },
      registry,
      this.#runtime,
    );
    if (this.#plans.size >= this.#limit) {
      const [oldestKey, oldest] = this.#plans.entries().next().value!;
      this.#plans.delete(oldestKey);
      oldest.dispose();
    }
    this.#plans.set(key, plan);
    return plan;
  }

  /** Everything a plan's output or behaviour depends on. */
  static key(input: PlanCacheInput): string {
    return JSON.stringify([
      input.table.transformers,
      input.table.onTypeMismatch,
      input.defaults,
      // A digest: the key outlives nothing the plan does not hold anyway, but need not spell the salt.
      createHash('sha256').update(input.salt).digest('base64'),
      input.keyAttributes,
      // Absent in input from workflows started before sandbox limits existed: the defaults apply.
      input.sandbox?.memoryLimitMb,
      input.sandbox?.timeoutMs,
      input.keysAreSensitive,
      input.table.rules ?? [],
    ]);
  }

  /** Disposes every plan (worker shutdown). */
  clear(): void {
    for (const plan of this.#plans.values()) plan.dispose();
    this.#plans.clear();
  }
}
