/**
 * Test support: the contract every built-in that fakes strings keeps,
 * declared as vitest tests. A transformer's test file calls
 * `describeFakeContract` once and keeps only what is specific to it.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { Faker, base, en } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_TYPES, type AttributeType } from '../../model/item.ts';
import type { Path } from '../../model/path.ts';
import type { TransformerDefinition } from '../../transformers/definition.ts';
import { TransformTypeError } from '../../transformers/errors.ts';
import { createRegistry } from '../../transformers/registry.ts';
import { transformerScope } from '../../transformers/seed-scope.ts';
import { SeededFaker } from '../../transformers/seeded-faker.ts';

type Options = Record<string, unknown>;

export interface FakeContract {
  /** The input types the definition must declare, in its order. */
  accepts: readonly AttributeType[];
  /** What the definition must declare it produces; `same` unless said. */
  produces?: TransformerDefinition['produces'];
  /** S inputs as a table would hold them, the same on every run; duplicates are dropped. */
  realisticInputs: () => readonly string[];
  /** Options to run every check with, one set after the other; `[{}]` unless said. */
  options?: readonly Options[];
  /** What every fake of a realistic input matches. */
  pattern?: RegExp;
  /** Whether a fake is right for its input under these options. */
  fits?: (output: string, input: string, options: Options) => boolean;
  /** Fewer distinct realistic inputs than this fails the contract: the sample must stay meaningful. */
  minInputs?: number;
  /** Elements of the big set: the first this many realistic inputs (all of them unless said). */
  setSize?: number;
  /** More than this fraction of the fakes must change with the salt; 0.95 unless said. */
  saltChange?: number;
  /** More than this fraction of distinct inputs must get distinct fakes (1: every one); unchecked unless said. */
  distinct?: number;
  /**
   * For a fake drawn without regard to the input (a name from a list): the
   * list and the draw. The contract finds a salt and a listed value whose
   * first fake is the value itself, and checks it still comes back changed.
   */
  selfFake?: { candidates: readonly string[]; draw: (faker: Faker) => string };
}

/** One value of every DynamoDB type, for the types a transformer must refuse. */
const ONE_OF_EACH: Record<AttributeType, AttributeValue> = {
  S: { S: 'x' },
  N: { N: '12' },
  B: { B: new Uint8Array([1]) },
  BOOL: { BOOL: true },
  NULL: { NULL: true },
  M: { M: { a: { S: 'x' } } },
  L: { L: [{ N: '1' }] },
  SS: { SS: ['x'] },
  NS: { NS: ['1'] },
  BS: { BS: [new Uint8Array([1])] },
};

/** `count` distinct values from `draw`, from a faker of fixed seed: the same on every run. */
export function distinctDraws(draw: (source: Faker) => string, count: number, seed = 7): string[] {
  const source = new Faker({ locale: [en, base], seed });
  const out = new Set<string>();
  for (let i = 0; out.size < count && i < count * 20; i++) out.add(draw(source));
  return [...out];
}

/** More than `fraction` of `total`; all of it when `fraction` is 1. */
function expectMoreThan(count: number, fraction: number, total: number, message: string): void {
  if (fraction >= 1) expect(count, message).toBe(total);
  else expect(count, message).toBeGreaterThan(fraction * total);
}

/**
 * Declares the fake contract of `definition`: the declared types, and a
 * TransformTypeError naming path, transformer and types for any other type;
 * the same fake for the same salt and input across separately made instances
 * (and paths), other fakes for another salt; realistic inputs never returned
 * unchanged, their fakes matching `pattern` and `fits`; a big set keeping its
 * size without duplicates; an empty string left empty, alone or in a set; and
 * unknown options refused. Every check runs under every option set.
 */
export function describeFakeContract(definition: TransformerDefinition<any>, contract: FakeContract): void {
  const registry = createRegistry([definition]);
  const optionSets = contract.options ?? [{}];
  const make = (options: Options, salt = 'salt-1') => registry.instantiate({ type: definition.name, options }, { salt });
  const fake = (fn: ReturnType<typeof make>, input: string, path: Path = ['value']) => (fn({ S: input }, path) as { S: string }).S;
  const label = (options: Options) => JSON.stringify(options);

  let cached: string[] | undefined;
  const inputs = (): string[] => (cached ??= [...new Set(contract.realisticInputs())]);

  /** Checks a fake of a realistic input: changed, and right for it. */
  const expectFake = (output: string, input: string, options: Options) => {
    const what = `${JSON.stringify(output)} for ${JSON.stringify(input)} with ${label(options)}`;
    expect(output, what).not.toBe(input);
    if (contract.pattern !== undefined) expect(output, what).toMatch(contract.pattern);
    if (contract.fits !== undefined) expect(contract.fits(output, input, options), what).toBe(true);
  };

  describe('fake contract', () => {
    it('declares its types, and throws a TransformTypeError naming the path and the types for any other', () => {
      expect(definition.accepts).toEqual(contract.accepts);
      expect(definition.produces).toBe(contract.produces ?? 'same');
      const refused = ATTRIBUTE_TYPES.filter((type) => !contract.accepts.includes(type));
      expect(refused.length).toBeGreaterThan(0);
      for (const options of optionSets) {
        const fn = make(options);
        for (const type of refused) {
          expect(() => fn(ONE_OF_EACH[type], ['items', 0, 'value'])).toThrow(TransformTypeError);
          expect(() => fn(ONE_OF_EACH[type], ['items', 0, 'value'])).toThrow(
            `items[0].value: transformer "${definition.name}" accepts ${contract.accepts.join(', ')}; got ${type}`,
          );
        }
      }
    });

    it('rejects unknown options', () => {
      for (const options of optionSets) expect(() => make({ ...options, locale: 'de' }), label(options)).toThrow();
    });

    it('gives the same fakes from two separately made instances, whatever the path', () => {
      for (const options of optionSets) {
        const one = inputs().map((input) => fake(make(options), input, ['Name']));
        const two = inputs().map((input) => fake(make(options), input, ['other', 0, 'name']));
        expect(two, label(options)).toEqual(one);
      }
    });

    it('gives other fakes for another salt', () => {
      for (const options of optionSets) {
        const one = inputs().map((input) => fake(make(options), input));
        const salted = inputs().map((input) => fake(make(options, 'salt-2'), input));
        const changed = salted.filter((output, i) => output !== one[i]).length;
        expectMoreThan(changed, contract.saltChange ?? 0.95, inputs().length, `fakes changed by the salt with ${label(options)}`);
      }
    });

    const spread = contract.distinct === undefined ? '' : ', spread over distinct fakes';
    it(`never returns a realistic input unchanged, and its fakes look right${spread}`, () => {
      expect(inputs().length).toBeGreaterThanOrEqual(Math.max(contract.minInputs ?? 1, contract.setSize ?? 1));
      for (const options of optionSets) {
        const fn = make(options);
        const outputs = inputs().map((input) => fake(fn, input));
        outputs.forEach((output, i) => expectFake(output, inputs()[i]!, options));
        if (contract.distinct !== undefined) {
          expectMoreThan(new Set(outputs).size, contract.distinct, inputs().length, `distinct fakes with ${label(options)}`);
        }
      }
    });

    it('replaces every element of a big set, keeping its size and without duplicates', () => {
      const input = inputs().slice(0, contract.setSize);
      expect(input).toHaveLength(contract.setSize ?? inputs().length);
      for (const options of optionSets) {
        const out = make(options)({ SS: input }, ['values']) as { SS: string[] };
        expect(out.SS).toHaveLength(input.length);
        expect(new Set(out.SS).size).toBe(input.length);
        out.SS.forEach((element, i) => expectFake(element, input[i]!, options));
      }
    });

    it('keeps an empty string empty, alone or in a set: nothing to anonymize', () => {
      const input = inputs()[0]!;
      for (const options of optionSets) {
        expect(make(options)({ S: '' }, ['value']), label(options)).toEqual({ S: '' });
        const out = make(options)({ SS: ['', input] }, ['values']) as { SS: string[] };
        expect(out.SS).toHaveLength(2);
        expect(out.SS[0]).toBe('');
        expectFake(out.SS[1]!, input, options);
      }
    });

    const { selfFake } = contract;
    if (selfFake !== undefined) {
      it('never returns the input unchanged, even when its first fake equals it', () => {
        const options = optionSets[0]!;
        const scope = transformerScope(definition.name, definition.options.parse(options));
        let found: { salt: string; input: string } | undefined;
        for (let s = 0; found === undefined && s < 200; s++) {
          const seeded = new SeededFaker(String(s), scope);
          const input = selfFake.candidates.find((candidate) => selfFake.draw(seeded.reseed(candidate)) === candidate);
          if (input !== undefined) found = { salt: String(s), input };
        }
        expect(found).toBeDefined();
        const { salt, input } = found!;
        const out = make(options, salt)({ S: input }, ['Name']);
        expect((out as { S: string }).S).not.toBe(input);
        expect(out).toEqual(make(options, salt)({ S: input }, ['Name']));
      });
    }
  });
}
