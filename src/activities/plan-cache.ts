import { buildPlan, type TransformPlan } from '../../transformers/plan.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import type { CopyPagesInput } from '../../workflows/shared.ts';

/**
 * Plans are built once per (table mapping, salt, keys) and reused across the
 * many copyPages calls of a run: building one instantiates every transformer.
 */
export class PlanCache {
  readonly #plans = new Map<string, TransformPlan>();
  readonly #limit: number;

  constructor(limit = 64) {
    this.#limit = limit;
  }

  get(input: Pick<CopyPagesInput, 'table' | 'defaults' | 'salt' | 'keyAttributes'>, registry: TransformerRegistry): TransformPlan {
    const key = JSON.stringify([input.table.transformers, input.table.onTypeMismatch, input.defaults, input.salt, input.keyAttributes]);
    let plan = this.#plans.get(key);
    if (!plan) {
      plan = buildPlan(
        {
          transformers: input.table.transformers,
          defaults: input.defaults,
          keyAttributes: input.keyAttributes,
          salt: input.salt,
          onTypeMismatch: input.table.onTypeMismatch,
        },
        registry,
      );
      if (this.#plans.size >= this.#limit) this.#plans.delete(this.#plans.keys().next().value!);
      this.#plans.set(key, plan);
    }
    return plan;
  }
}
