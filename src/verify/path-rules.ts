/**
 * What a job does to each value of a table, as `verify` judges it: the same
 * mapping rules the run applies (transformers/mapping-rules.ts: the most
 * specific pattern, else the nearest mapped container above, else the
 * default for the type), read into three verdicts:
 *
 * - transformed: a mapping or a default with a transformer other than
 *   passthrough; none of its source values may survive;
 * - kept: the job says to copy it (passthrough, or a key attribute no
 *   mapping names, which a run always passes through); it must be equal;
 * - unnamed: no mapping names it and no default takes its type, so it is
 *   copied without the job saying so; verify counts it as surviving.
 */
import type { AttributeType } from '../../model/item.ts';
import type { TransformerRef } from '../../model/job.ts';
import type { Path } from '../../model/path.ts';
import { compileMappingRules, knownNamesOf, type MappingRules, type Step } from '../../transformers/mapping-rules.ts';

export type TreatmentKind = 'transformed' | 'kept' | 'unnamed';

export interface Treatment {
  readonly kind: TreatmentKind;
  /** The mapping's pattern as the job writes it, `defaults.S`, or (for values no mapping names) the path with unnamed keys as `*`. */
  readonly label: string;
  /** The transformer's name; `key` for a key attribute passed through; `-` when nothing applies. */
  readonly transformer: string;
  readonly ref?: TransformerRef;
}

const PASSTHROUGH = 'passthrough';
const CACHE_LIMIT = 100_000;

export class PathRules {
  readonly #rules: MappingRules;
  readonly #refs = new Map<Step, TransformerRef>();
  readonly #labels = new Map<Step, string>();
  readonly #known: ReadonlySet<string>;
  readonly #cache = new Map<string, Treatment>();

  constructor(transformers: Record<string, TransformerRef>, defaults: Partial<Record<AttributeType, TransformerRef>>, keyAttributes: readonly string[]) {
    this.#known = knownNamesOf(transformers);
    // Steps stand for their mapping only: verify never runs them.
    this.#rules = compileMappingRules({ transformers, defaults, keyAttributes }, (ref, where) => {
      const step: Step = { name: ref.type, accepts: undefined, producesSame: false, drops: false, fn: () => ({ NULL: true }) };
      this.#refs.set(step, ref);
      this.#labels.set(step, where.startsWith('defaults.') ? where : (JSON.parse(where) as string));
      return step;
    });
  }

  /** Nested map keys the job names: others may be data, and show as `*`. */
  get knownNames(): ReadonlySet<string> {
    return this.#known;
  }

  treat(path: Path, type: AttributeType): Treatment {
    const cacheKey = `${type}\u0000${JSON.stringify(path)}`;
    const cached = this.#cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const treatment = this.#treat(path, type);
    if (this.#cache.size < CACHE_LIMIT) this.#cache.set(cacheKey, treatment);
    return treatment;
  }

  #treat(path: Path, type: AttributeType): Treatment {
    const top = path[0] as string;
    if (this.#rules.keyAttributes.has(top) && !this.#rules.transformsKey(top)) return { kind: 'kept', label: top, transformer: 'key' };
    let step: Step | undefined;
    for (let length = path.length; length >= 1 && step === undefined; length--) step = this.#rules.ruleAt(path.slice(0, length))?.step;
    const fallback = step === undefined ? this.#rules.defaultFor(type) : undefined;
    const chosen = step ?? fallback;
    if (chosen === undefined) return { kind: 'unnamed', label: safePattern(path, this.#known), transformer: '-' };
    const ref = this.#refs.get(chosen)!;
    const label = step !== undefined ? this.#labels.get(chosen)! : `${safePattern(path, this.#known)} (${this.#labels.get(chosen)!})`;
    return { kind: ref.type === PASSTHROUGH ? 'kept' : 'transformed', label, transformer: ref.type, ref };
  }
}

/** A concrete path as a pattern for messages: indexes as `[*]`, nested keys the job does not name as `*`. */
export function safePattern(path: Path, known: ReadonlySet<string>): string {
  let out = '';
  path.forEach((segment, i) => {
    if (typeof segment === 'number') out += '[*]';
    else {
      const name = i === 0 || known.has(segment) ? (/^[A-Za-z0-9_\-:#@$]+$/.test(segment) ? segment : JSON.stringify(segment)) : '*';
      out += out === '' ? name : `.${name}`;
    }
  });
  return out;
}
