import { describe, expect, it } from 'vitest';
import type { RuleSet, TransformerRef } from '../model/job.ts';
import { builtinRegistry, builtinTransformers } from './builtin/index.ts';
import { nonDeterminism, nonDeterministicKeys } from './key-determinism.ts';
import { templateRef } from './templates/index.ts';

const ref = (type: string, options: Record<string, unknown> = {}): TransformerRef => ({ type, options });
const js = (code: string): TransformerRef => ({ type: 'js', options: { code } });

describe('which key mappings give the same key again', () => {
  it('every built-in (a pure function of salt, options and input), and templates of them', () => {
    expect(builtinTransformers.filter((definition) => nonDeterminism(ref(definition.name), builtinRegistry) !== undefined).map((d) => d.name)).toEqual([]);
    expect(nonDeterminism(templateRef({ templates: ['U#{id}'], parts: { id: ref('hash') }, otherwise: ref('uuid') }), builtinRegistry)).toBeUndefined();
  });

  it('not scripts, which can read the clock, nor templates through one, nor what the registry does not know', () => {
    expect(nonDeterminism(js('return value'), builtinRegistry)).toBe('a js script, which can read the clock');
    expect(nonDeterminism(templateRef({ templates: ['U#{id}'], parts: { id: js('return value') }, otherwise: { type: 'jsGenerate', options: { code: 'return 1' } } }), builtinRegistry)).toBe(
      'a template through part {id} (a js script, which can read the clock) and otherwise (a jsGenerate script, which can read the clock)',
    );
    expect(nonDeterminism(ref('noSuchThing'), builtinRegistry)).toBe('unknown transformer "noSuchThing"');
  });

  it("names each key mapping that may not, where it is written: the table's once, a rule set's own at the rule set", () => {
    const rules: RuleSet[] = [
      { name: 'user', when: 'a = 1', transformers: { sk: js('return value'), name: ref('fullName') } },
      { when: 'a = 2', transformers: { '"pk"': ref('hash') } },
    ];
    const table = {
      rules,
      transformers: { pk: js('return value'), email: js('return value') },
    };
    expect(nonDeterministicKeys(table, ['pk', 'sk'], builtinRegistry)).toEqual([
      { attribute: 'pk', pattern: 'pk', where: "the table's mappings", why: 'a js script, which can read the clock' },
      { attribute: 'sk', pattern: 'sk', where: 'rule set "user"', why: 'a js script, which can read the clock' },
    ]);
    expect(nonDeterministicKeys({ transformers: { pk: ref('hash'), other: js('1') } }, ['pk', 'sk'], builtinRegistry)).toEqual([]);
  });
});
