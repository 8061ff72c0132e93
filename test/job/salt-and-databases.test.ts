/**
 * The job salt as the loader takes it (a reference to where the workers
 * read it, or a literal with a warning), and the rule that no table writes
 * into a table the job reads on the same database, whatever the
 * connections are called and whichever credentials they use. Messages are
 * pinned as a user reads them.
 */
import { describe, expect, it } from 'vitest';
import { databaseOf, sourcesNear } from '../../model/database-identity.ts';
import type { Job } from '../../model/job.ts';
import { parseJob, parseJobWithWarnings, renderProblem } from '../../src/job/job-loader.ts';
import { testRegistry } from './fixtures/test-registry.ts';
import { refusalOf } from '../support/job-refusal.ts';

const FILE = 'jobs/x.yaml';

function yaml(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = /^ */.exec(lines[0] ?? '')![0].length;
  return lines.map((line) => line.slice(indent)).join('\n');
}

function refusal(text: string): string {
  return refusalOf(() => parseJob(text, FILE, testRegistry, {}));
}

/** Lines 1-7; the salt goes on line 8, tables after it. */
const HEADER = yaml(`
  name: salted
  connections:
    prod: { region: us-east-1 }
    staging: { region: us-east-1, endpoint: "http://localhost:8001" }
  source: prod
  destination: staging
  # the salt:
`);
const TABLES = 'tables:\n  - source: Users\n';

const withSalt = (salt: string) => `${HEADER}salt: ${salt}\n${TABLES}`;

describe('the job salt', () => {
  it('keeps a reference as it is: the workers resolve it, nothing resolves it here', () => {
    const cases: [string, Job['salt']][] = [
      ['{ env: DYNAMASK_SALT }', { env: 'DYNAMASK_SALT' }],
      ['{ secretsManager: prod/dynamask, key: salt, connection: prod }', { secretsManager: 'prod/dynamask', key: 'salt', connection: 'prod' }],
      ['{ ssm: /dynamask/salt, region: eu-west-1 }', { ssm: '/dynamask/salt', region: 'eu-west-1' }],
    ];
    for (const [text, salt] of cases) {
      // The variable is set where the job is loaded, and must not be read: { env } names the worker's environment.
      const { job, warnings } = parseJobWithWarnings(withSalt(text), FILE, testRegistry, { DYNAMASK_SALT: 'client-side-value' });
      expect(job.salt, text).toEqual(salt);
      expect(JSON.stringify(job)).not.toContain('client-side-value');
      expect(warnings).toEqual([]);
    }
  });

  it('takes a literal, and a ${VAR} substituted into one, with a warning that names the line', () => {
    for (const text of ['demo-salt', '${DYNAMASK_SALT}']) {
      const { job, warnings } = parseJobWithWarnings(withSalt(text), FILE, testRegistry, { DYNAMASK_SALT: 'demo-salt' });
      expect(job.salt).toBe('demo-salt');
      expect(warnings.map(renderProblem)).toEqual([
        'jobs/x.yaml:8 salt: a literal salt travels in every run\'s workflow input, where anyone who can read the Temporal namespace can read it ' +
          '(a ${NAME} is substituted where the job is loaded, so it is a literal too); for real jobs name where the workers read it, such as { env: DYNAMASK_SALT }',
      ]);
      expect(warnings[0]!.code).toBe('literalSalt');
    }
    expect(parseJobWithWarnings(`${HEADER}${TABLES}`, FILE, testRegistry, {}).warnings).toEqual([]);
  });

  it('carries allowLiteralSalt only when it is true', () => {
    expect(parseJob(`${HEADER}salt: s\nallowLiteralSalt: true\n${TABLES}`, FILE, testRegistry, {}).allowLiteralSalt).toBe(true);
    expect(Object.keys(parseJob(`${HEADER}salt: s\nallowLiteralSalt: false\n${TABLES}`, FILE, testRegistry, {}))).not.toContain('allowLiteralSalt');
  });

  it('refuses a reference that names no store, two, or fields of another store, each with its own message', () => {
    const cases: [string, string[]][] = [
      ['{ vault: x }', ['jobs/x.yaml:8 salt: expected where the worker reads the secret: { env: NAME }, { secretsManager: name }, or { ssm: /parameter/name }', 'jobs/x.yaml:8 salt.vault: unknown field "vault"']],
      ['{ env: DYNAMASK_SALT, ssm: /dynamask/salt }', ['jobs/x.yaml:8 salt: names env and ssm: a secret lives in one place']],
      ['{ env: DYNAMASK_SALT, key: salt }', ['jobs/x.yaml:8 salt.key: key is only used with secretsManager']],
      ['{ env: DYNAMASK_SALT, region: eu-west-1 }', ['jobs/x.yaml:8 salt.region: region is only used with secretsManager or ssm']],
      ['{ env: dynamask-salt }', ['jobs/x.yaml:8 salt.env: expected an environment variable name, such as DYNAMASK_SALT']],
      ['{ ssm: /dynamask/salt, region: Europe }', ['jobs/x.yaml:8 salt.region: expected an AWS region, such as eu-west-1']],
      ['[a, b]', ['jobs/x.yaml:8 salt: expected a string or a mapping, got a list']],
      ['""', ['jobs/x.yaml:8 salt: must not be empty']],
    ];
    for (const [text, lines] of cases) expect(refusal(withSalt(text)).split('\n').sort(), text).toEqual([...lines].sort());
  });

  it("refuses a reference's connection that the job does not define", () => {
    expect(refusal(withSalt('{ ssm: /dynamask/salt, connection: prd }'))).toBe('jobs/x.yaml:8 salt.connection: unknown connection "prd" (did you mean "prod"?)');
    expect(refusal(withSalt('{ secretsManager: s, connection: vault }'))).toBe('jobs/x.yaml:8 salt.connection: unknown connection "vault"; the connections are "prod", "staging"');
  });
});

describe('a destination on the database of a source', () => {
  const job = (connections: string, tables = '  - source: Users\n') =>
    `name: same-db\nconnections:\n${connections}source: prod\ndestination: staging\ntables:\n${tables}`;

  it('is refused for two connections with the same endpoint, whatever their credentials and regions', () => {
    const connections = yaml(`
      prod: { endpoint: "http://localhost:8000", region: us-east-1, profile: prod-readonly }
      staging: { endpoint: "http://127.0.0.1:8000/", region: eu-west-1, roleArn: "arn:aws:iam::123456789012:role/dynamask-write" }
    `).trimEnd().replace(/^/gm, '  ') + '\n';
    expect(refusal(job(connections))).toBe(
      'jobs/x.yaml:8 tables[0]: destination is the source table (connections "prod" and "staging" both reach endpoint http://localhost:8000; the destination table name defaults to the source name); dynamask never writes to a source',
    );
  });

  it('is refused for two connections without an endpoint in the same region, whatever their credentials', () => {
    const connections = yaml(`
      prod: { region: us-east-1, profile: prod-readonly }
      staging: { region: us-east-1, roleArn: "arn:aws:iam::123456789012:role/dynamask-write", externalId: x }
    `).trimEnd().replace(/^/gm, '  ') + '\n';
    expect(refusal(job(connections, '  - source: Users\n  - source: Orders\n    destination: Users\n'))).toBe(
      [
        'jobs/x.yaml:8 tables[0]: destination is the source table (connections "prod" and "staging" both reach the AWS endpoint of us-east-1; the destination table name defaults to the source name); dynamask never writes to a source',
        'jobs/x.yaml:10 tables[1].destination: destination is the source table of tables[0] (connections "prod" and "staging" both reach the AWS endpoint of us-east-1); dynamask never writes to a source',
      ].join('\n'),
    );
  });

  it('is accepted on another endpoint or another region', () => {
    for (const staging of ['{ endpoint: "http://localhost:8001" }', '{ region: eu-west-1 }', '{ endpoint: "https://dynamodb.us-east-1.amazonaws.com" }']) {
      expect(() => parseJob(job(`  prod: { region: us-east-1 }\n  staging: ${staging}\n`), FILE, testRegistry, {}), staging).not.toThrow();
    }
  });

  it('compares endpoints as one host for every loopback name, ignoring case, default ports and trailing slashes', () => {
    const same = ['http://localhost:8000', 'HTTP://LocalHost:8000/', 'http://127.0.0.1:8000', 'http://[::1]:8000'];
    expect(new Set(same.map((endpoint) => databaseOf({ endpoint }))).size).toBe(1);
    expect(databaseOf({ endpoint: 'https://example.com:443/' })).toBe(databaseOf({ endpoint: 'https://EXAMPLE.com' }));
    expect(databaseOf({ endpoint: 'http://localhost:8001' })).not.toBe(databaseOf({ endpoint: 'http://localhost:8000' }));
    // An endpoint is one database whatever region a client signs for.
    expect(databaseOf({ endpoint: 'http://localhost:8000', region: 'eu-west-1' })).toBe(databaseOf({ endpoint: 'http://localhost:8000' }));
    // Without a region the worker's default applies: the same for every such connection.
    expect(databaseOf({})).toBe(databaseOf({}));
    expect(databaseOf({}, 'us-east-1')).toBe(databaseOf({ region: 'us-east-1' }));
  });

  it('hands each table the sources its destination may reach: the same database, or a region only the worker knows', () => {
    const tables = (pairs: [string, string][]) => pairs.map(([sourceConnection, source]) => ({ sourceConnection, source }));
    const connections = { prod: { region: 'us-east-1' }, local: { endpoint: 'http://localhost:8000' }, anywhere: {}, staging: { region: 'us-east-1' }, other: { region: 'eu-west-1' } };
    const all = tables([['prod', 'Users'], ['local', 'Orders'], ['anywhere', 'Events'], ['prod', 'Users']]);
    expect(sourcesNear({ connections, tables: all }, 'staging')).toEqual([
      { connection: 'prod', table: 'Users' },
      { connection: 'anywhere', table: 'Events' },
    ]);
    expect(sourcesNear({ connections, tables: all }, 'other')).toEqual([{ connection: 'anywhere', table: 'Events' }]);
    expect(sourcesNear({ connections, tables: all }, 'anywhere')).toEqual([
      { connection: 'prod', table: 'Users' },
      { connection: 'anywhere', table: 'Events' },
    ]);
  });
});
