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
  it("is refused when a rule set maps a key, naming the rule set: the prune inverts through the table's mappings only", () => {
    expect(ruleSetsReplaceProblem(table(undefined), ['pk'])).toBeUndefined();
    expect(ruleSetsReplaceProblem(table([{ name: 'user', when: 'a = 1', transformers: { Name: ref('fullName'), pk: ref('passthrough') } }]), ['pk'])).toBeUndefined();
    expect(ruleSetsReplaceProblem(table([{ name: 'user', when: 'a = 1', transformers: {} }, { when: 'a = 2', transformers: { pk: ref('hash') } }]), ['pk'])).toBe(
      "rule set rules[1]: mode replace maps destination keys back through the table's key mappings, but the rule set maps key attribute pk (hash); map keys in the table's transformers only, or use mode upsert",
    );
  });
});
