import { describe, expect, it } from 'vitest';
import type { TableJob, TransformerRef } from '../../model/job.ts';
import { ruleSetsReplaceProblem } from './prepare-table.ts';

const ref = (type: string): TransformerRef => ({ type, options: {} });
const table = (rules: TableJob['rules']): TableJob => ({
  source: 'App',
  destination: 'AppCopy',
  sourceConnection: 'a',
  destinationConnection: 'a',
  consistentRead: false,
  onTypeMismatch: 'error',
  transformers: { Email: ref('email') },
  mode: 'replace',
  createTable: false,
  segments: 1,
  ...(rules ? { rules } : {}),
});

describe('replace mode and rule sets', () => {
  it("is refused when a rule set maps a key, naming the rule set, as when the table's mappings do", () => {
    expect(ruleSetsReplaceProblem(table(undefined), ['pk'])).toBeUndefined();
    expect(ruleSetsReplaceProblem(table([{ name: 'user', when: 'a = 1', transformers: { Name: ref('fullName'), pk: ref('passthrough') } }]), ['pk'])).toBeUndefined();
    expect(ruleSetsReplaceProblem(table([{ name: 'user', when: 'a = 1', transformers: {} }, { when: 'a = 2', transformers: { pk: ref('hash') } }]), ['pk'])).toBe(
      'rule set rules[1]: mode replace needs destination keys equal to source keys, but transformers map key attribute pk (hash); leave key attributes unmapped (or passthrough), or use mode upsert',
    );
  });
});
