import { describe, expect, it } from 'vitest';
import { destinationName, loaderTakesSaltReferences, sourceTables } from './init-command.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { holdsValues } from '../discovery/table-mappings.ts';
import { parseJob, type JobFileError } from '../job/job-loader.ts';

describe('init', () => {
  it('names destinations by the pattern', () => {
    expect(destinationName('<table>Staging', 'Users')).toBe('UsersStaging');
    expect(destinationName('staging-<table>-<table>', 'Users')).toBe('staging-Users-Users');
  });

  it('leaves out, with --all-tables on one connection, the tables a run would write', () => {
    expect(sourceTables(['Orders', 'OrdersStaging', 'Users', 'UsersStaging', 'Audit'], '<table>Staging')).toEqual({ tables: ['Orders', 'Users', 'Audit'], skipped: ['OrdersStaging', 'UsersStaging'] });
  });

  it('knows whether this build loads a salt reference, so the job it writes loads', () => {
    const job = ['name: j', 'connections: { c: { region: us-east-1 } }', 'source: c', 'destination: c', 'salt: { env: DYNAMASK_SALT }', 'tables: [{ source: Aaa, destination: Bbb }]', ''].join('\n');
    let refused: string | undefined;
    try {
      parseJob(job, 'j.yaml', builtinRegistry, { DYNAMASK_SALT: 's' });
    } catch (error) {
      refused = (error as JobFileError).problems.map((problem) => problem.path).join(',');
    }
    expect(loaderTakesSaltReferences(builtinRegistry)).toBe(refused === undefined);
    if (refused !== undefined) expect(refused).toBe('salt');
  });

  it('maps paths that hold values, not containers, even one that is sometimes NULL', () => {
    expect(holdsValues({ types: { S: 3 } })).toBe(true);
    expect(holdsValues({ types: { M: 3 } })).toBe(false);
    expect(holdsValues({ types: { M: 3, NULL: 1 } })).toBe(false);
    expect(holdsValues({ types: { NULL: 2 } })).toBe(true);
    expect(holdsValues({ types: { M: 3, S: 1 } })).toBe(true);
  });
});
