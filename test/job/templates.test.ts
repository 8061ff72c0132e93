/**
 * Templates and parts in job files: what they become in the Job, and the
 * exact line each mistake is reported at.
 */
import { describe, expect, it } from 'vitest';
import { parseJob } from '../../src/job/job-loader.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { refusalOf } from '../support/job-refusal.ts';

const FILE = 'jobs/app.yaml';

/** Lines 1-7; the table's fields start on line 8. */
const HEADER = ['name: app', 'connections:', '  local: { endpoint: "http://localhost:8000" }', 'source: local', 'destination: local', 'tables:', '  - source: App', '    destination: AppCopy'].join('\n');

const job = (more: string, top = '') => `${top}${HEADER}\n${more}`;
const parse = (text: string) => parseJob(text, FILE, builtinRegistry, {});
function refusal(text: string): string[] {
  return refusalOf(() => parse(text)).split('\n');
}

const PERMUTE = { type: 'permuteId', options: { format: 'auto', otherwise: 'error' } };

describe('templates in a job file', () => {
  it('become template refs carrying the transformers of their parts, job parts under table parts', () => {
    const parsed = parse(
      job(
        [
          '    parts: { email: { type: hash, length: 32 } }',
          '    transformers:',
          '      pk: ["ACCOUNT#{accountId}", "TICKET#{ticketId}"]',
          '      sk: ["PROFILE", "ORDER#{date}#{orderId}", "TICKET"]',
          '      GSI1PK: "EMAIL#{email}"',
          '      accountRef: { template: "ACCOUNT#{accountId}", otherwise: passthrough }',
          '      accountId: "{accountId}"',
          '      name: fullName',
        ].join('\n'),
        'parts:\n  accountId: permuteId\n  ticketId: permuteId\n  orderId: permuteId\n  date: passthrough\n  email: email\n',
      ),
    );
    const { transformers, allowKeyCollisions } = parsed.tables[0]!;
    expect(allowKeyCollisions).toBeUndefined();
    expect(transformers['pk']).toEqual({
      type: 'template',
      options: { templates: ['ACCOUNT#{accountId}', 'TICKET#{ticketId}'], parts: { accountId: PERMUTE, ticketId: PERMUTE }, otherwise: 'error' },
    });
    expect(transformers['sk']!.options.parts).toEqual({ date: { type: 'passthrough', options: {} }, orderId: PERMUTE });
    expect(transformers['GSI1PK']!.options.parts).toEqual({ email: { type: 'hash', options: { encoding: 'hex', length: 32 } } });
    expect(transformers['accountRef']!.options.otherwise).toEqual({ type: 'passthrough', options: {} });
    expect(transformers['accountId']!.options.templates).toEqual(['{accountId}']);
    expect(transformers['name']).toEqual({ type: 'fullName', options: {} });
  });

  it('carry allowKeyCollisions, on the table and on a template', () => {
    const parsed = parse(
      job('    allowKeyCollisions: true\n    transformers:\n      pk: { template: ["U#{id}"], allowKeyCollisions: true }\n      zip: { type: zipCode, format: "####" }\n', 'parts: { id: email }\n'),
    );
    expect(parsed.tables[0]!.allowKeyCollisions).toBe(true);
    expect(parsed.tables[0]!.transformers['pk']!.allowKeyCollisions).toBe(true);
    expect(parsed.tables[0]!.transformers['zip']!.allowKeyCollisions).toBeUndefined();
  });

  it('refuse malformed templates, unknown parts and overlapping templates, at their lines', () => {
    expect(
      refusal(
        job(
          [
            '    transformers:',
            '      pk: "USER#{userId"',
            '      sk:',
            '        - "PROFILE"',
            '        - "ORDER#{date}#{ordrId}"',
            '      GSI1PK: ["{userId}", "USER#{userId}"]',
            '      a: "{a}{b}"',
            '      b: []',
            '      c: ["X#{userId}", 7]',
          ].join('\n'),
          'parts: { userId: permuteId, orderId: permuteId, date: passthrough }\n',
        ),
      ),
    ).toEqual([
      'jobs/app.yaml:11 tables[0].transformers.pk: bad template "USER#{userId": column 6: a "{" with no "}" after it',
      'jobs/app.yaml:14 tables[0].transformers.sk[1]: unknown part {ordrId} in template "ORDER#{date}#{ordrId}" (did you mean "orderId"?); the parts are "userId", "orderId", "date"',
      'jobs/app.yaml:15 tables[0].transformers.GSI1PK[1]: templates "{userId}", "USER#{userId}" both match some strings (such as "USER#x"); each value must match one template at most',
      'jobs/app.yaml:16 tables[0].transformers.a: bad template "{a}{b}": column 4: part {b} follows part {a} with nothing between them; put fixed text with a separator (such as #) between parts',
      'jobs/app.yaml:17 tables[0].transformers.b: expected one template or more, got an empty list',
      'jobs/app.yaml:18 tables[0].transformers.c[1]: expected a template (a string such as "USER#{userId}"), got a number; put it in quotes: YAML reads it unquoted as a number',
    ]);
  });

  it('refuse parts whose transformer does not take or give strings, once, where the part is defined', () => {
    expect(
      refusal(
        job(
          '    parts:\n      n: characterScramble\n    transformers:\n      pk: "A#{a}"\n      sk: "B#{b}#{c}"\n      x: "X#{n}"\n      y: "{nobody}"\n',
          'parts:\n  a: null\n  b: { js: "value" }\n  c: { type: hash, lenght: 8 }\n  "bad name": passthrough\n',
        ),
      ),
    ).toEqual([
      'jobs/app.yaml:2 parts.a: part {a}: transformer "null" gives NULL, and a template part must come out a string',
      'jobs/app.yaml:3 parts.b: part {b} must name a built-in transformer; JavaScript runs a page at a time and cannot serve template parts',
      'jobs/app.yaml:4 parts.c.lenght: unknown option "lenght" for transformer "hash" (did you mean "length"?)',
      'jobs/app.yaml:5 parts["bad name"]: expected a part name: letters, digits and _, starting with a letter or _, as templates write it ({userId})',
      'jobs/app.yaml:20 tables[0].transformers.y: unknown part {nobody} in template "{nobody}"; the parts are "a", "b", "c", "n"',
    ]);
  });

  it('refuse a bad long form, and say when the job has no parts at all', () => {
    expect(
      refusal(job('    transformers:\n      pk: { template: "U#{id}", otherwise: fullName, allowKeyCollision: true }\n      sk: { template: 3 }\n      r: { template: "R", otherwise: { js: "value" } }\n')),
    ).toEqual([
      'jobs/app.yaml:10 tables[0].transformers.pk.allowKeyCollision: unknown field "allowKeyCollision" of a template mapping (did you mean "allowKeyCollisions"?); it takes template, otherwise, allowKeyCollisions',
      'jobs/app.yaml:10 tables[0].transformers.pk.template: unknown part {id} in template "U#{id}"; the job defines no parts (top-level or table `parts:`)',
      'jobs/app.yaml:11 tables[0].transformers.sk.template: expected a template or a list of them, got a number; put it in quotes: YAML reads it unquoted as a number',
      'jobs/app.yaml:12 tables[0].transformers.r.otherwise: otherwise must name a built-in transformer; JavaScript runs a page at a time and cannot serve template parts',
    ]);
  });

  it('leave a string without braces a transformer name', () => {
    expect(refusal(job('    transformers:\n      sk: PROFILE\n'))).toEqual(['jobs/app.yaml:10 tables[0].transformers.sk: unknown transformer "PROFILE"']);
  });
});
