/**
 * Rule sets in job files: what they become in the Job, and the exact line
 * and path each mistake is reported at (a bad `when` as a bad `where` is,
 * a bad mapping as the table's are, at the rule set's own path).
 */
import { describe, expect, it } from 'vitest';
import { parseJob } from '../../src/job/job-loader.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { refusalOf } from '../support/job-refusal.ts';

const FILE = 'jobs/app.yaml';

/** Lines 1-7; the table's fields start on line 8. */
const HEADER = ['name: app', 'connections:', '  local: { endpoint: "http://localhost:8000" }', 'source: local', 'destination: local', 'tables:', '  - source: App', '    destination: AppCopy'].join('\n');

const job = (lines: string[], top = '') => `${top}${HEADER}\n${lines.join('\n')}`;
const parse = (text: string) => parseJob(text, FILE, builtinRegistry, {});
function refusal(text: string): string[] {
  return refusalOf(() => parse(text)).split('\n');
}

const PERMUTE = { type: 'permuteId', options: { format: 'auto', otherwise: 'error' } };

describe('rule sets in a job file', () => {
  it('become the rule sets of the table, in order, names where given, templates resolved with their parts over the table\'s', () => {
    const parsed = parse(
      job(
        [
          '    parts: { orderId: permuteId }',
          '    transformers:',
          '      pk: "ACCOUNT#{accountId}"',
          '    rules:',
          '      - name: account',
          `        when: "begins_with(sk, 'PROFILE')"`,
          '        transformers:',
          '          name: fullName',
          '          email: { type: email, preserveDomain: true }',
          `      - when: '"type" = ''order'''`,
          '        parts: { date: { type: dateShift, maxDays: 3 } }',
          '        transformers:',
          '          sk: "ORDER#{date}#{orderId}"',
          '      - when: attribute_exists(GSI1PK)',
        ],
        'parts:\n  accountId: permuteId\n  date: passthrough\n',
      ),
    );
    const { rules, transformers } = parsed.tables[0]!;
    expect(Object.keys(transformers)).toEqual(['pk']);
    expect(rules).toEqual([
      { name: 'account', when: "begins_with(sk, 'PROFILE')", transformers: { name: { type: 'fullName', options: {} }, email: { type: 'email', options: expect.objectContaining({ preserveDomain: true }) } } },
      {
        when: `"type" = 'order'`,
        transformers: {
          sk: { type: 'template', options: { templates: ['ORDER#{date}#{orderId}'], parts: { date: { type: 'dateShift', options: expect.objectContaining({ maxDays: 3 }) }, orderId: PERMUTE }, otherwise: 'error' } },
        },
      },
      { when: 'attribute_exists(GSI1PK)', transformers: {} },
    ]);
  });

  it('are left out of a table that has none', () => {
    expect(parse(job(['    transformers: { name: fullName }'])).tables[0]).not.toHaveProperty('rules');
    expect(parse(job(['    rules: []'])).tables[0]).not.toHaveProperty('rules');
  });

  it('refuse a bad condition at its line, with the message and position a bad where gets', () => {
    const lines = refusal(
      job([
        `    where: "Status = 'active' ;"`,
        '    rules:',
        '      - name: account',
        `        when: "begins_with(pk, 'ACCOUNT#') ;"`,
        '      - when: "a = "',
        '      - when: "SELECT * FROM x"',
        '      - when: |-',
        `          "type" = 'order'`,
        '          AND total >',
      ]),
    );
    expect(lines).toEqual([
      `${FILE}:9 tables[0].where: column 19, ";": a where is a single condition: nothing may follow it, and it cannot end a statement`,
      `${FILE}:12 tables[0].rules[0].when: column 29, ";": a where is a single condition: nothing may follow it, and it cannot end a statement`,
      `${FILE}:13 tables[0].rules[1].when: column 5, at the end: the condition ends where a value or attribute was expected`,
      `${FILE}:14 tables[0].rules[2].when: column 1, "SELECT": a where holds only a condition, not a statement or query; if SELECT names an attribute, double-quote it: "SELECT"`,
      `${FILE}:15 tables[0].rules[3].when: line 2, column 12, at the end: the condition ends where a value or attribute was expected`,
    ]);
  });

  it('refuse what the schema refuses: no when, an empty one, unknown fields, a list of something else', () => {
    expect(
      refusal(
        job([
          '    rules:',
          '      - name: account',
          '        transformers: { name: fullName }',
          '      - when: ""',
          '      - when: "a = 1"',
          '        transformer: { name: fullName }',
          '      - not a rule set',
        ]),
      ),
    ).toEqual([
      `${FILE}:10 tables[0].rules[0].when: required field is missing`,
      `${FILE}:12 tables[0].rules[1].when: must not be empty`,
      `${FILE}:14 tables[0].rules[2].transformer: unknown field "transformer" (did you mean "transformers"?)`,
      `${FILE}:15 tables[0].rules[3]: expected a mapping, got a string`,
    ]);
  });

  it("refuse bad mappings at the rule set's own paths, as the table's are", () => {
    expect(
      refusal(
        job(
          [
            '    rules:',
            '      - name: account',
            '        when: "a = 1"',
            '        parts: { "bad-name": permuteId }',
            '        transformers:',
            '          email: emial',
            '          "a..b": fullName',
            '          pk: "USER#{userld}"',
            '          x: { type: randomInt, min: "1" }',
            '          email2: fullName',
            `          '"email2"': fullName`,
          ],
          'parts: { userId: permuteId }\n',
        ),
      ),
    ).toEqual([
      `${FILE}:13 tables[0].rules[0].parts["bad-name"]: expected a part name: letters, digits and _, starting with a letter or _, as templates write it ({userId})`,
      `${FILE}:15 tables[0].rules[0].transformers.email: unknown transformer "emial" (did you mean "email"?)`,
      `${FILE}:16 tables[0].rules[0].transformers["a..b"]: bad path: expected an attribute name, got "." at column 3 of path "a..b"`,
      `${FILE}:17 tables[0].rules[0].transformers.pk: unknown part {userld} in template "USER#{userld}" (did you mean "userId"?); the parts are "userId"`,
      `${FILE}:18 tables[0].rules[0].transformers.x.min: expected a number, got a string`,
      `${FILE}:20 tables[0].rules[0].transformers["\\"email2\\""]: duplicate path: the same attribute as email2 on line 19`,
    ]);
  });

  it('refuse two rule sets of one name, which reports could not tell apart', () => {
    expect(
      refusal(
        job(['    rules:', '      - name: account', '        when: "a = 1"', '      - name: order', '        when: "a = 2"', '      - name: account', '        when: "a = 3"']),
      ),
    ).toEqual([`${FILE}:14 tables[0].rules[2].name: duplicate rule set name "account": the same as rules[0] on line 10; names tell rule sets apart in reports`]);
  });
});
