import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closest, issuesFromZod, JobFileError, renderPath, renderProblems } from '../../model/problems.ts';

describe('renderPath', () => {
  it('writes identifiers with dots, indexes in brackets, and other keys quoted in brackets', () => {
    expect(renderPath([])).toBe('');
    expect(renderPath(['tables', 0, 'transformers', 'Email'])).toBe('tables[0].transformers.Email');
    expect(renderPath(['tables', 0, 'transformers', 'info.actors[*]'])).toBe('tables[0].transformers["info.actors[*]"]');
    expect(renderPath(['connections', 'prod-eu', 'region'])).toBe('connections["prod-eu"].region');
    expect(renderPath(['tables', 1, 'transformers', '"a".b'])).toBe('tables[1].transformers["\\"a\\".b"]');
  });
});

describe('renderProblems', () => {
  it('renders one problem per line: file, line, path, message', () => {
    expect(
      renderProblems([
        { file: 'jobs/x.yaml', line: 12, path: 'tables[0].transformers.Email', message: 'unknown transformer "emial" (did you mean "email"?)' },
        { file: 'jobs/x.yaml', line: 3, path: '', message: 'invalid YAML: Map keys must be unique' },
        { file: 'jobs/x.yaml', path: '', message: 'cannot read the job file: no such file' },
      ]),
    ).toBe(
      [
        'jobs/x.yaml:12 tables[0].transformers.Email: unknown transformer "emial" (did you mean "email"?)',
        'jobs/x.yaml:3: invalid YAML: Map keys must be unique',
        'jobs/x.yaml: cannot read the job file: no such file',
      ].join('\n'),
    );
  });

  it('is the message of a JobFileError, which keeps the problems as data', () => {
    const problems = [{ file: 'a.yaml', line: 1, path: 'name', message: 'required field is missing' }];
    const error = new JobFileError('a.yaml', problems);
    expect(error.message).toBe('a.yaml:1 name: required field is missing');
    expect(error.problems).toEqual(problems);
    expect(error.name).toBe('JobFileError');
  });
});

describe('closest', () => {
  it('suggests a name within two edits, counting a transposition as one', () => {
    expect(closest('emial', ['email', 'fullName'])).toBe('email');
    expect(closest('regoin', ['region', 'endpoint'])).toBe('region');
    expect(closest('fulname', ['fullName', 'firstName'])).toBe('fullName');
    expect(closest('bool', ['BOOL', 'BS'])).toBe('BOOL');
  });

  it('suggests nothing far away, nor for very short names', () => {
    expect(closest('shuffle', ['email', 'fullName'])).toBeUndefined();
    expect(closest('X', ['S', 'N', 'B'])).toBeUndefined();
    expect(closest('email', ['email'])).toBeUndefined();
  });
});

describe('issuesFromZod', () => {
  const schema = z.strictObject({
    count: z.number().min(1),
    kind: z.enum(['a', 'b']),
    tags: z.array(z.string()).min(2),
    nested: z.strictObject({ enabled: z.boolean().optional() }),
  });

  it('turns zod issues into messages for people, with did-you-mean from the schema', () => {
    const result = schema.safeParse({ count: 0, kind: 'c', tags: ['x'], nested: { enabeld: true } }, { reportInput: true });
    expect(issuesFromZod(result.error!.issues, { schema, prefix: ['top'] })).toEqual([
      { path: ['top', 'count'], message: 'must be at least 1' },
      { path: ['top', 'kind'], message: 'expected "a" or "b", got a string' },
      { path: ['top', 'tags'], message: 'must have at least 2 entries' },
      { path: ['top', 'nested', 'enabeld'], message: 'unknown field "enabeld" (did you mean "enabled"?)', at: 'key' },
    ]);
  });
});
