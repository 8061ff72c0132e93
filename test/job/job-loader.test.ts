import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../src/job/interpolate.ts';
import type { Job } from '../../model/job.ts';
import { loadJobFile, parseJob } from '../../src/job/job-loader.ts';
import { JobFileError } from '../../model/problems.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { testRegistry } from './fixtures/test-registry.ts';
import { refusalOf } from '../support/job-refusal.ts';

const FILE = 'jobs/x.yaml';

/** Strips the indentation of the first line from every line, so tests can indent their YAML. */
function yaml(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = /^ */.exec(lines[0] ?? '')![0].length;
  return lines.map((line) => line.slice(indent)).join('\n');
}

function parse(text: string, env: Env = {}): Job {
  return parseJob(text, FILE, testRegistry, env);
}

/** The text a user sees for a refused job. */
function refusal(text: string, env: Env = {}): string {
  return refusalOf(() => parse(text, env));
}

/** Lines 1-9 of most tests below; tables start on line 10. */
const HEADER = yaml(`
  name: users-staging-refresh
  connections:
    prod:
      region: us-east-1
    staging:
      region: us-east-1
      endpoint: http://localhost:8001
  source: prod
  destination: staging
`);

describe('parseJob: a valid job', () => {
  it('normalizes a full job', () => {
    const job = parse(
      yaml(`
        # yaml-language-server: $schema=../schema/job.schema.json
        name: users-staging-refresh
        connections:
          prod:
            region: us-east-1
            profile: prod-readonly
            roleArn: arn:aws:iam::123456789012:role/dynamask-read
            externalId: \${EXTERNAL_ID}
          staging:
            region: us-east-1
            endpoint: \${STAGING_DYNAMODB_ENDPOINT}
        source: prod
        destination: staging
        salt: \${DYNAMASK_SALT}
        defaults:
          S: passthrough
          N: { type: passthrough }
        tables:
          - source: Users
            destination: UsersStaging
            index: ByStatus
            where: "Status = 'active'"
            consistentRead: true
            transformers:
              Email: { type: email, preserveDomain: true }
              Contact.Email: email
              Name: fullName
              info.actors[*]: fullName
              "Notes": { type: constant, value: redacted }
          - source: Orders
            sourceConnection: staging
            destinationConnection: prod
        schedule:
          cron: "0 3 * * *"
      `),
      { EXTERNAL_ID: 'ext-1', STAGING_DYNAMODB_ENDPOINT: 'http://localhost:8001', DYNAMASK_SALT: 's3cret' },
    );
    expect(job).toEqual({
      name: 'users-staging-refresh',
      connections: {
        prod: { region: 'us-east-1', profile: 'prod-readonly', roleArn: 'arn:aws:iam::123456789012:role/dynamask-read', externalId: 'ext-1' },
        staging: { region: 'us-east-1', endpoint: 'http://localhost:8001' },
      },
      salt: 's3cret',
      defaults: {
        S: { type: 'passthrough', options: {} },
        N: { type: 'passthrough', options: {} },
      },
      tables: [
        {
          source: 'Users',
          destination: 'UsersStaging',
          sourceConnection: 'prod',
          destinationConnection: 'staging',
          index: 'ByStatus',
          where: "Status = 'active'",
          consistentRead: true,
          onTypeMismatch: 'error',
          mode: 'upsert',
          createTable: false,
          segments: 'auto',
          transformers: {
            Email: { type: 'email', options: { preserveDomain: true } },
            'Contact.Email': { type: 'email', options: { preserveDomain: false } },
            Name: { type: 'fullName', options: {} },
            'info.actors[*]': { type: 'fullName', options: {} },
            Notes: { type: 'constant', options: { value: 'redacted' } },
          },
        },
        {
          source: 'Orders',
          destination: 'Orders',
          sourceConnection: 'staging',
          destinationConnection: 'prod',
          consistentRead: false,
          onTypeMismatch: 'error',
          mode: 'upsert',
          createTable: false,
          segments: 'auto',
          transformers: {},
        },
      ],
      keysAreSensitive: true,
      sandbox: { memoryLimitMb: 64, timeoutMs: 100 },
      schedule: { cron: ['0 3 * * *'], overlap: 'skip', paused: false },
    } satisfies Job);
    // What the workflow receives must survive JSON unchanged.
    expect(JSON.parse(JSON.stringify(job))).toEqual(job);
  });

  it('fills in defaults and leaves absent optional fields out', () => {
    const job = parse(HEADER + 'tables:\n  - source: Users\n');
    expect(job).toEqual({
      name: 'users-staging-refresh',
      connections: { prod: { region: 'us-east-1' }, staging: { region: 'us-east-1', endpoint: 'http://localhost:8001' } },
      defaults: {},
      tables: [
        {
          source: 'Users',
          destination: 'Users',
          sourceConnection: 'prod',
          destinationConnection: 'staging',
          consistentRead: false,
          onTypeMismatch: 'error',
          transformers: {},
          mode: 'upsert',
          createTable: false,
          segments: 'auto',
        },
      ],
      keysAreSensitive: true,
      sandbox: { memoryLimitMb: 64, timeoutMs: 100 },
    });
    expect(Object.keys(job)).not.toContain('salt');
    expect(Object.keys(job)).not.toContain('schedule');
  });

  it('takes oversizeItems at the top level and per table, and keeps it on a table only when it skips', () => {
    const job = parse(
      HEADER +
        yaml(`
          oversizeItems: skip
          tables:
            - source: Users
            - source: Orders
              oversizeItems: error
        `),
    );
    expect(job.tables.map((t) => t.oversizeItems)).toEqual(['skip', undefined]);
    const plain = parse(HEADER + yaml(`
      tables:
        - source: Users
    `));
    expect(Object.keys(plain.tables[0]!)).not.toContain('oversizeItems');
  });
});

describe('parseJob: problems, as the user reads them', () => {
  it('names a bad oversizeItems at its line, with the values it takes', () => {
    const text = HEADER + yaml(`
      oversizeItems: truncate
      tables:
        - source: Users
          oversizeItems: drop
    `);
    expect(refusal(text)).toBe(
      ['jobs/x.yaml:10 oversizeItems: expected "error" or "skip", got a string', 'jobs/x.yaml:13 tables[0].oversizeItems: expected "error" or "skip", got a string'].join('\n'),
    );
  });

  it('names an unknown transformer and suggests a close one', () => {
    const text = HEADER + yaml(`
      tables:
        - source: Users
          transformers:
            Email: { type: emial, preserveDomain: true }
            Name: fulName
            Other: shuffle
    `);
    expect(refusal(text)).toBe(
      [
        'jobs/x.yaml:13 tables[0].transformers.Email: unknown transformer "emial" (did you mean "email"?)',
        'jobs/x.yaml:14 tables[0].transformers.Name: unknown transformer "fulName" (did you mean "fullName"?)',
        'jobs/x.yaml:15 tables[0].transformers.Other: unknown transformer "shuffle"',
      ].join('\n'),
    );
  });

  it('names an unknown field at its key and suggests a close one', () => {
    const text = yaml(`
      name: users-staging-refresh
      connections:
        prod:
          regoin: us-east-1
      source: prod
      destination: prod
      tabels: []
      tables:
        - source: Users
          destination: UsersCopy
          consistentReads: true
          whatever: 1
    `);
    expect(refusal(text)).toBe(
      [
        'jobs/x.yaml:4 connections.prod.regoin: unknown field "regoin" (did you mean "region"?)',
        'jobs/x.yaml:7 tabels: unknown field "tabels" (did you mean "tables"?)',
        'jobs/x.yaml:11 tables[0].consistentReads: unknown field "consistentReads" (did you mean "consistentRead"?)',
        'jobs/x.yaml:12 tables[0].whatever: unknown field "whatever"',
      ].join('\n'),
    );
  });

  it('says what type was expected and what it got', () => {
    const text = HEADER + yaml(`
      tables:
        - source: 12345
          consistentRead: "yes"
          where:
          transformers: [Email]
    `);
    expect(refusal(text)).toBe(
      [
        'jobs/x.yaml:11 tables[0].source: expected a string, got a number; put it in quotes: YAML reads it unquoted as a number',
        'jobs/x.yaml:12 tables[0].consistentRead: expected a boolean, got a string',
        'jobs/x.yaml:13 tables[0].where: expected a string, got an empty value',
        'jobs/x.yaml:14 tables[0].transformers: expected a mapping, got a list',
      ].join('\n'),
    );
  });

  it('reports a missing required field at its parent mapping', () => {
    expect(refusal(HEADER)).toBe('jobs/x.yaml:1 tables: required field is missing');
    expect(refusal(HEADER + 'tables:\n  - destination: UsersCopy\n')).toBe('jobs/x.yaml:11 tables[0].source: required field is missing');
    expect(refusal(HEADER + 'tables: []\n')).toBe('jobs/x.yaml:10 tables: must not be empty');
  });

  it('refuses a reference to a connection that does not exist', () => {
    const text = yaml(`
      name: users-staging-refresh
      connections:
        prod: {}
        staging: {}
      source: prd
      destination: staging
      tables:
        - source: Users
          destinationConnection: test
    `);
    expect(refusal(text)).toBe(
      [
        'jobs/x.yaml:5 source: unknown connection "prd" (did you mean "prod"?)',
        'jobs/x.yaml:9 tables[0].destinationConnection: unknown connection "test"; the connections are "prod", "staging"',
      ].join('\n'),
    );
  });

  it('refuses a table with no connection to read from', () => {
    const text = yaml(`
      name: users-staging-refresh
      connections:
        prod: { region: us-east-1 }
        staging: { region: eu-west-1 }
      destination: staging
      tables:
        - source: Users
        - source: Orders
          sourceConnection: prod
        - source: Carts
    `);
    expect(refusal(text)).toBe('jobs/x.yaml:1 source: required field is missing: tables[0] and tables[2] have no "sourceConnection" of their own');
  });

  it('reports malformed YAML at its line, without a stack trace', () => {
    const text = yaml(`
      name: users-staging-refresh
      connections:
        prod: {}
      tables:
        - source: Users
          transformers:
            Email: [email
        - source: Orders
    `);
    const message = refusal(text);
    expect(message).toBe('jobs/x.yaml:8: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]');
    expect(message).not.toMatch(/\n\s+at /);
  });

  it('reports YAML duplicate keys at the second one', () => {
    expect(refusal(HEADER + 'name: again\ntables:\n  - source: Users\n')).toBe('jobs/x.yaml:10: invalid YAML: Map keys must be unique');
  });

  it('refuses an empty file and a file that is not a mapping, with one problem each', () => {
    expect(refusal('')).toBe('jobs/x.yaml: the file is empty; a job is a mapping with "name", "connections" and "tables"');
    expect(refusal('# only a comment\n')).toBe('jobs/x.yaml: the file is empty; a job is a mapping with "name", "connections" and "tables"');
    expect(refusal('\n- source: Users\n')).toBe('jobs/x.yaml:2: expected a mapping with "name", "connections" and "tables" at the top level, got a list');
    expect(refusal('just words\n')).toBe('jobs/x.yaml:1: expected a mapping with "name", "connections" and "tables" at the top level, got a string');
  });

  it('names an unset environment variable at the line of its scalar, and only that', () => {
    const text = yaml(`
      name: users-staging-refresh
      connections:
        prod: {}
        staging:
          endpoint: \${STAGING_DYNAMODB_ENDPOINT}
      source: prod
      destination: staging
      salt: "\${DYNAMASK_SALT}-\${SALT_SUFFIX}"
      tables:
        - source: Users
    `);
    // The endpoint's text stays "${...}", which is no URL; that is not reported on top.
    expect(refusal(text, { SALT_SUFFIX: 'x' })).toBe(
      [
        'jobs/x.yaml:5 connections.staging.endpoint: environment variable STAGING_DYNAMODB_ENDPOINT is not set',
        'jobs/x.yaml:8 salt: environment variable DYNAMASK_SALT is not set',
      ].join('\n'),
    );
  });

  it('names a malformed ${...} reference', () => {
    expect(refusal(HEADER + 'salt: ${not a name}\ntables:\n  - source: Users\n')).toBe(
      'jobs/x.yaml:10 salt: "${not a name}" is not a variable reference: expected ${NAME} or ${NAME:-default} (write "$${" for a literal "${")',
    );
  });

  it('refuses a bad attribute path, at its key', () => {
    const text = HEADER + yaml(`
      tables:
        - source: Users
          transformers:
            info.actors[x]: fullName
            Address.: fullName
    `);
    expect(refusal(text)).toBe(
      [
        'jobs/x.yaml:13 tables[0].transformers["info.actors[x]"]: bad path: list index must be a number or "*", got "x" at column 12 of path "info.actors[x]"',
        'jobs/x.yaml:14 tables[0].transformers["Address."]: bad path: path ends with "." at column 9 of path "Address."',
      ].join('\n'),
    );
  });

  it('refuses two spellings of one attribute path', () => {
    const text = HEADER + yaml(`
      tables:
        - source: Users
          transformers:
            Address.Street: fullName
            Name: fullName
            "\\"Address\\".Street": passthrough
    `);
    expect(refusal(text)).toBe('jobs/x.yaml:15 tables[0].transformers["\\"Address\\".Street"]: duplicate path: the same attribute as Address.Street on line 13');
  });

  it('refuses bad transformer options', () => {
    const text = HEADER + yaml(`
      tables:
        - source: Users
          transformers:
            Email: { type: email, preserveDomain: "yes" }
            Work.Email: { type: email, preserveDomian: true }
            Name: { type: fullName, locale: de }
            Notes: constant
            Code: { type: constant, value: 7 }
      defaults:
        N: email
    `);
    expect(refusal(text)).toBe(
      [
        'jobs/x.yaml:13 tables[0].transformers.Email.preserveDomain: expected a boolean, got a string',
        'jobs/x.yaml:14 tables[0].transformers["Work.Email"].preserveDomian: unknown option "preserveDomian" for transformer "email" (did you mean "preserveDomain"?)',
        'jobs/x.yaml:15 tables[0].transformers.Name.locale: unknown option "locale" for transformer "fullName", which takes no options',
        'jobs/x.yaml:16 tables[0].transformers.Notes.value: required option is missing',
        'jobs/x.yaml:17 tables[0].transformers.Code.value: expected a string, got a number; put it in quotes: YAML reads it unquoted as a number',
        'jobs/x.yaml:19 defaults.N: transformer "email" does not take N values (it takes S)',
      ].join('\n'),
    );
  });

  it('refuses a malformed transformer reference', () => {
    const text = HEADER + yaml(`
      tables:
        - source: Users
          transformers:
            Email: { preserveDomain: true }
            Name: 3
            Age: { type: [email] }
    `);
    expect(refusal(text)).toBe(
      [
        'jobs/x.yaml:13 tables[0].transformers.Email.type: required field is missing',
        'jobs/x.yaml:14 tables[0].transformers.Name: expected a transformer name or a mapping with "type", got a number',
        'jobs/x.yaml:15 tables[0].transformers.Age.type: expected a transformer name, got a list',
      ].join('\n'),
    );
  });

  it('refuses a destination that is the source table', () => {
    const sameName = HEADER + yaml(`
      tables:
        - source: Users
          destinationConnection: prod
    `);
    expect(refusal(sameName)).toBe(
      'jobs/x.yaml:11 tables[0]: destination is the source table (the destination table name defaults to the source name); dynamask never writes to a source',
    );

    const explicit = HEADER + yaml(`
      tables:
        - source: Users
          destination: Users
          destinationConnection: prod
    `);
    expect(refusal(explicit)).toBe('jobs/x.yaml:12 tables[0].destination: destination is the source table; dynamask never writes to a source');
  });

  it('refuses a destination that another table of the job reads, or that a differently named connection reaches', () => {
    const text = yaml(`
      name: users-staging-refresh
      connections:
        prod:
          region: us-east-1
        prodAgain:
          region: us-east-1
      source: prod
      destination: prodAgain
      tables:
        - source: Users
        - source: Orders
          destination: Users
    `);
    expect(refusal(text)).toBe(
      [
        'jobs/x.yaml:10 tables[0]: destination is the source table (connections "prod" and "prodAgain" both reach the AWS endpoint of us-east-1; the destination table name defaults to the source name); dynamask never writes to a source',
        'jobs/x.yaml:12 tables[1].destination: destination is the source table of tables[0] (connections "prod" and "prodAgain" both reach the AWS endpoint of us-east-1); dynamask never writes to a source',
      ].join('\n'),
    );
  });

  it('checks field formats with messages of their own', () => {
    const text = yaml(`
      name: -users
      connections:
        prod:
          endpoint: localhost:8000
          externalId: abc
        staging:
          roleArn: dynamask-read
      source: prod
      destination: staging
      salt: ""
      tables:
        - source: ab
          index: "By Status"
      schedule:
        cron: "0 3 * *"
    `);
    expect(refusal(text)).toBe(
      [
        'jobs/x.yaml:1 name: expected a name of letters, digits, ".", "_" and "-", starting with a letter or digit',
        'jobs/x.yaml:4 connections.prod.endpoint: expected an http:// or https:// URL, such as http://localhost:8000',
        'jobs/x.yaml:5 connections.prod.externalId: externalId is only used together with roleArn',
        'jobs/x.yaml:7 connections.staging.roleArn: expected an IAM role ARN, such as arn:aws:iam::123456789012:role/dynamask-read',
        'jobs/x.yaml:10 salt: must not be empty',
        'jobs/x.yaml:12 tables[0].source: expected a DynamoDB table name: 3 to 255 letters, digits, "_", "-" or "."',
        'jobs/x.yaml:13 tables[0].index: expected a DynamoDB index name: 3 to 255 letters, digits, "_", "-" or "."',
        'jobs/x.yaml:15 schedule.cron: expected a cron expression of 5 fields (minute hour day-of-month month day-of-week), such as "0 3 * * *"; got 4',
      ].join('\n'),
    );
  });

  it('reports every problem of a file in one error, in line order, as data and as text', () => {
    const text = yaml(`
      name: users-staging-refresh
      connections:
        prod:
          regoin: us-east-1
        staging:
          endpoint: \${STAGING_DYNAMODB_ENDPOINT}
      source: prod
      destination: stagin
      defaults:
        S: passthru
      tables:
        - source: Users
          transformers:
            Email: { type: emial }
            info.actors[x]: fullName
    `);
    let error: unknown;
    try {
      parse(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(JobFileError);
    const jobError = error as JobFileError;
    expect(jobError.file).toBe(FILE);
    expect(jobError.problems).toEqual([
      { file: FILE, line: 4, path: 'connections.prod.regoin', message: 'unknown field "regoin" (did you mean "region"?)' },
      { file: FILE, line: 6, path: 'connections.staging.endpoint', message: 'environment variable STAGING_DYNAMODB_ENDPOINT is not set' },
      { file: FILE, line: 8, path: 'destination', message: 'unknown connection "stagin" (did you mean "staging"?)' },
      { file: FILE, line: 10, path: 'defaults.S', message: 'unknown transformer "passthru"' },
      { file: FILE, line: 14, path: 'tables[0].transformers.Email', message: 'unknown transformer "emial" (did you mean "email"?)' },
      {
        file: FILE,
        line: 15,
        path: 'tables[0].transformers["info.actors[x]"]',
        message: 'bad path: list index must be a number or "*", got "x" at column 12 of path "info.actors[x]"',
      },
    ]);
    expect(jobError.message).toBe(
      [
        'jobs/x.yaml:4 connections.prod.regoin: unknown field "regoin" (did you mean "region"?)',
        'jobs/x.yaml:6 connections.staging.endpoint: environment variable STAGING_DYNAMODB_ENDPOINT is not set',
        'jobs/x.yaml:8 destination: unknown connection "stagin" (did you mean "staging"?)',
        'jobs/x.yaml:10 defaults.S: unknown transformer "passthru"',
        'jobs/x.yaml:14 tables[0].transformers.Email: unknown transformer "emial" (did you mean "email"?)',
        'jobs/x.yaml:15 tables[0].transformers["info.actors[x]"]: bad path: list index must be a number or "*", got "x" at column 12 of path "info.actors[x]"',
      ].join('\n'),
    );
  });
});

describe('parseJob: what YAML 1.2 reads differently from what was meant', () => {
  const table = 'tables:\n  - source: Users\n';

  it('reads a key as written: NULL under defaults is the NULL type', () => {
    expect(parse(HEADER + 'defaults: { S: passthrough, NULL: passthrough }\n' + table).defaults).toEqual({
      S: { type: 'passthrough', options: {} },
      NULL: { type: 'passthrough', options: {} },
    });
  });

  it('reads attribute paths and connection names as written, whatever YAML would type them as', () => {
    const job = parse(
      yaml(`
        name: users-staging-refresh
        connections:
          null: { region: us-east-1 }
          true: { region: eu-west-1 }
          0x10: { region: eu-west-2 }
        source: "null"
        destination: "true"
        tables:
          - source: Users
            transformers:
              null: fullName
              True: fullName
              ~: fullName
              1.0: fullName
              0x10: fullName
              012: fullName
              1e3: fullName
          - source: Orders
            destinationConnection: "0x10"
      `),
    );
    expect(Object.keys(job.connections)).toEqual(['null', 'true', '0x10']);
    expect(Object.keys(job.tables[0]!.transformers)).toEqual(['null', 'True', '~', '1.0', '0x10', '012', '1e3']);
    expect(job.tables[1]!.destinationConnection).toBe('0x10');
  });

  it('names a null spelled in lower case, as it does any misspelled type', () => {
    expect(refusal(HEADER + 'defaults:\n  null: passthrough\n  ~: passthrough\n' + table)).toBe(
      ['jobs/x.yaml:11 defaults.null: unknown field "null" (did you mean "NULL"?)', 'jobs/x.yaml:12 defaults["~"]: unknown field "~"'].join('\n'),
    );
  });

  it('treats two keys as one when their text is the same, and only then', () => {
    // JavaScript would keep only the last of 1 and "1"; 1 and 1.0 are different attribute paths.
    expect(refusal(HEADER + table + '    transformers:\n      1: fullName\n      "1": email\n')).toBe('jobs/x.yaml:14: invalid YAML: Map keys must be unique');
    expect(Object.keys(parse(HEADER + table + '    transformers:\n      1: fullName\n      1.0: email\n').tables[0]!.transformers)).toEqual(['1', '1.0']);
  });

  it('says to quote a number, boolean or null where a string is expected, when quoting would be accepted', () => {
    const text = yaml(`
      name: 2024
      connections:
        prod: {}
        true: { region: eu-west-1 }
      source: prod
      destination: true
      salt: 0x10
      tables:
        - source: 12345
          destination: null
          onTypeMismatch: null
          transformers:
            Email: { type: null }
            Code: { type: constant, value: 1e3 }
    `);
    expect(refusal(text)).toBe(
      [
        'jobs/x.yaml:1 name: expected a string, got a number; put it in quotes: YAML reads it unquoted as a number',
        'jobs/x.yaml:6 destination: expected a string, got a boolean; put it in quotes: YAML reads true unquoted as a boolean',
        'jobs/x.yaml:7 salt: expected a string or a mapping, got a number; put it in quotes: YAML reads it unquoted as a number',
        'jobs/x.yaml:9 tables[0].source: expected a string, got a number; put it in quotes: YAML reads it unquoted as a number',
        'jobs/x.yaml:10 tables[0].destination: expected a string, got an empty value; put it in quotes if you mean the word: YAML reads null unquoted as an empty value',
        'jobs/x.yaml:11 tables[0].onTypeMismatch: expected "error", "passthrough" or "null", got an empty value; put it in quotes if you mean the word: YAML reads null unquoted as an empty value',
        'jobs/x.yaml:13 tables[0].transformers.Email.type: expected a transformer name, got an empty value; put it in quotes if you mean the word: YAML reads null unquoted as an empty value',
        'jobs/x.yaml:14 tables[0].transformers.Code.value: expected a string, got a number; put it in quotes: YAML reads it unquoted as a number',
      ].join('\n'),
    );
  });

  it('refuses what mode incremental cannot do, at the field that asks for it', () => {
    const text = HEADER + yaml(`
      tables:
        - source: Users
          mode: incremental
          index: ByEmail
          allowKeyCollisions: true
    `);
    expect(refusal(text)).toBe(
      [
        'jobs/x.yaml:12 tables[0].mode: mode incremental needs a job salt: without one each run derives its own, and changes would be transformed unlike the copy they are applied to',
        "jobs/x.yaml:13 tables[0].index: mode incremental reads the base table's stream, which says nothing of an index; read the table itself, or use mode upsert or replace",
        "jobs/x.yaml:14 tables[0].allowKeyCollisions: mode incremental cannot allow key collisions: deleting one of two merged items would remove the other's copy",
      ].join('\n'),
    );
  });

  it('gives no such hint where quoting would not help, nor for a value that was quoted', () => {
    const text = HEADER + yaml(`
      tables:
        - source: 12
          destination: [Users]
          where:
          mode: true
          consistentRead: "yes"
      schedule:
        every: 3600
    `);
    expect(refusal(text)).toBe(
      [
        'jobs/x.yaml:11 tables[0].source: expected a string, got a number',
        'jobs/x.yaml:12 tables[0].destination: expected a string, got a list',
        'jobs/x.yaml:13 tables[0].where: expected a string, got an empty value',
        'jobs/x.yaml:14 tables[0].mode: expected "upsert", "replace" or "incremental", got a boolean',
        'jobs/x.yaml:15 tables[0].consistentRead: expected a boolean, got a string',
        'jobs/x.yaml:17 schedule.every: expected a string, got a number',
      ].join('\n'),
    );
  });

  it("names YAML 1.1's yes, no, on and off, and numbers with _, which YAML 1.2 reads as strings", () => {
    const text = HEADER + yaml(`
      createTable: yes
      keysAreSensitive: Off
      tables:
        - source: Users
          consistentRead: on
          segments: 1_000
      sandbox:
        timeoutMs: 2_500
      schedule:
        every: 6h
        paused: N
    `);
    expect(refusal(text)).toBe(
      [
        'jobs/x.yaml:10 createTable: expected a boolean, got a string; write true: YAML 1.2 reads yes as a string',
        'jobs/x.yaml:11 keysAreSensitive: expected a boolean, got a string; write false: YAML 1.2 reads Off as a string',
        'jobs/x.yaml:14 tables[0].consistentRead: expected a boolean, got a string; write true: YAML 1.2 reads on as a string',
        'jobs/x.yaml:15 tables[0].segments: does not match any of the allowed forms; write it without "_": YAML 1.2 reads a number with "_" as a string',
        'jobs/x.yaml:17 sandbox.timeoutMs: expected a number, got a string; write it without "_": YAML 1.2 reads a number with "_" as a string',
        'jobs/x.yaml:20 schedule.paused: expected a boolean, got a string; write false: YAML 1.2 reads N as a string',
      ].join('\n'),
    );
    // A substituted ${ENV} value is a string by design, whatever it reads like; it was not written as yes.
    expect(refusal(HEADER + table + '    consistentRead: ${CONSISTENT}\n', { CONSISTENT: 'yes' })).toBe('jobs/x.yaml:12 tables[0].consistentRead: expected a boolean, got a string');
  });

  it('refuses numbers a JavaScript number cannot hold as written, and keeps the ones it can', () => {
    const text = HEADER + yaml(`
      tables:
        - source: Users
          readRateLimit: .inf
          writeRateLimit: .NaN
          transformers:
            A: { type: constant, value: 1e400 }
            B: { type: constant, value: 9007199254740993 }
            C: { type: constant, value: 1e-400 }
    `);
    expect(refusal(text)).toBe(
      [
        'jobs/x.yaml:12 tables[0].readRateLimit: YAML reads this number as infinity, which no field takes; put it in quotes if it is text',
        'jobs/x.yaml:13 tables[0].writeRateLimit: YAML reads this as NaN (not a number), which no field takes; put it in quotes if it is text',
        'jobs/x.yaml:15 tables[0].transformers.A.value: YAML reads this number as infinity, which no field takes; put it in quotes if it is text',
        'jobs/x.yaml:16 tables[0].transformers.B.value: a JavaScript number cannot hold this number as written (15 to 17 significant digits fit); put it in quotes if it is text',
        'jobs/x.yaml:17 tables[0].transformers.C.value: a JavaScript number cannot hold this number as written (15 to 17 significant digits fit); put it in quotes if it is text',
      ].join('\n'),
    );
    const kept = parse(HEADER + table + '    segments: 0x10\n    readRateLimit: 1.50e3\n    writeRateLimit: 9007199254740991\n').tables[0]!;
    expect([kept.segments, kept.readRateLimit, kept.writeRateLimit]).toEqual([16, 1500, 9007199254740991]);
  });

  it('says that an unquoted value starting with * is an alias, at its line', () => {
    const withCron = (cron: string) => HEADER + table + `schedule:\n  cron: ${cron}\n`;
    const hint = 'a value that starts with "*" is an alias in YAML: put it in quotes';
    expect(refusal(withCron('*/5 * * * *'))).toBe(`jobs/x.yaml:13: invalid YAML: Unexpected alias at node end; ${hint}`);
    expect(refusal(withCron('* * * * *'))).toBe(`jobs/x.yaml:13: invalid YAML: Alias cannot be an empty string; ${hint}`);
    expect(refusal(withCron('*/5'))).toBe(`jobs/x.yaml:13: invalid YAML: an alias to an anchor that is not defined; ${hint}`);
    expect(parse(withCron('"*/5 * * * *"')).schedule?.cron).toEqual(['*/5 * * * *']);
  });

  it('never quotes a value it cannot name safely: it may be a secret', () => {
    for (const salt of ['0x5eC7e7', '*s3cr3t', '12345678901234567890123']) {
      const message = refusal(HEADER + `salt: ${salt}\n` + table);
      expect(message).toMatch(/^jobs\/x\.yaml:10(: invalid YAML:| salt:) /);
      expect(message).not.toContain(salt.replace('*', ''));
    }
  });

  it("merges mappings with YAML 1.1's merge key <<, which YAML 1.2 dropped", () => {
    const text = HEADER + yaml(`
      tables:
        - source: Users
          transformers: &people
            Email: email
            Name: fullName
        - source: Orders
          transformers:
            <<: *people
            Email: { type: email, preserveDomain: true }
    `);
    expect(parse(text).tables[1]!.transformers).toEqual({
      Email: { type: 'email', options: { preserveDomain: true } },
      Name: { type: 'fullName', options: {} },
    });
    expect(Object.keys(parse(HEADER + table + '    transformers:\n      "<<": fullName\n').tables[0]!.transformers)).toEqual(['<<']);
    expect(refusal(HEADER + table + '    transformers:\n      <<: fullName\n')).toBe(
      'jobs/x.yaml:13: invalid YAML: the merge key "<<" takes a mapping, an alias of one (<<: *name), or a list of those',
    );
  });
});

describe('parseJob: ${ENV} interpolation', () => {
  const withSalt = (salt: string) => HEADER + `salt: ${salt}\ntables:\n  - source: Users\n`;

  it('substitutes a set variable, and a default for an unset or empty one', () => {
    expect(parse(withSalt('${SALT}'), { SALT: 'abc' }).salt).toBe('abc');
    expect(parse(withSalt('${SALT:-fallback}'), {}).salt).toBe('fallback');
    expect(parse(withSalt('${SALT:-fallback}'), { SALT: '' }).salt).toBe('fallback');
    expect(parse(withSalt('pre-${SALT:-fallback}-post'), { SALT: 'abc' }).salt).toBe('pre-abc-post');
  });

  it('reads $${ as a literal ${', () => {
    expect(parse(withSalt('"$${SALT}"'), {}).salt).toBe('${SALT}');
    expect(parse(withSalt('"a$$b$c"'), {}).salt).toBe('a$$b$c');
  });

  it('leaves keys alone and keeps a substituted value one string', () => {
    const text = HEADER + yaml(`
      salt: \${SALT}
      tables:
        - source: Users
          transformers:
            \${NOT_A_VARIABLE}: fullName
    `);
    const job = parse(text, { SALT: 'a: b\n- c' });
    expect(job.salt).toBe('a: b\n- c');
    expect(Object.keys(job.tables[0]!.transformers)).toEqual(['${NOT_A_VARIABLE}']);
  });
});

describe('loadJobFile', () => {
  it('reads and parses a file, and names a file it cannot read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dynamask-job-'));
    try {
      const file = join(dir, 'users.yaml');
      await writeFile(file, HEADER + 'tables:\n  - source: Users\n');
      expect((await loadJobFile(file, testRegistry, {})).name).toBe('users-staging-refresh');

      const missing = join(dir, 'missing.yaml');
      const error = await loadJobFile(missing, testRegistry, {}).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(JobFileError);
      expect((error as JobFileError).message).toBe(`${missing}: cannot read the job file: no such file`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('shipped defaults', () => {
  const text = (defaults: string) =>
    `name: n\nconnections:\n  a: {}\n  b: { region: eu-west-1 }\nsource: a\ndestination: b\n${defaults}tables:\n  - source: Users\n`;

  it('scramble unmapped strings when the job names no default for them', () => {
    expect(parseJob(text(''), 'x.yaml', builtinRegistry, {}).defaults).toEqual({
      S: { type: 'characterScramble', options: {} },
      SS: { type: 'characterScramble', options: {} },
    });
  });

  it('give way to what the job says, type by type', () => {
    expect(parseJob(text('defaults:\n  S: passthrough\n  N: null\n'), 'x.yaml', builtinRegistry, {}).defaults).toEqual({
      S: { type: 'passthrough', options: {} },
      SS: { type: 'characterScramble', options: {} },
      N: { type: 'null', options: {} },
    });
  });
});
