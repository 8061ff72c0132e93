/**
 * `strict: true` through the copyTable workflow on the local stack: a job
 * that names every path copies everything; after production adds an
 * attribute, the run stops at the first page holding it, before that page
 * is written, naming the table and the path, never a value. The pages read
 * before it are in the destination, exactly, and the failure counts them.
 * `validate --sample` and `preview` say the same before any run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { renderTableFailure, tableFailureOf } from '../../model/failure.ts';
import type { Item } from '../../model/item.ts';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { sampleCoverage, renderCoverage, strictlyFailing } from '../../src/cli/sample-coverage.ts';
import { previewJob } from '../../src/cli/preview.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import type { copyTable } from '../../workflows/copy-table.ts';
import type { CopyTableInput } from '../../workflows/shared.ts';
import { historyText } from '../support/run-history.ts';
import { connectTestStack, movieKey, scanAll, type TestStack } from '../support/stack.ts';

const SOURCE = 'StrictSource';
const PAGE = 20;
const ITEMS = 200;
/** Where, in scan order, the new attribute appears: the sixth page. */
const NEW_AT = 110;
const CANARY_VALUE = 'strict-canary-value-7f3a';
const CANARY_KEY = 'strict-canary-key-91c2@example.com';

function sourceItems(): Item[] {
  return Array.from({ length: ITEMS }, (_, i) => ({
    year: { N: String(1900 + (i % 40)) },
    title: { S: `strict-title-${String(i).padStart(4, '0')}` },
    status: { S: i % 4 === 0 ? 'old' : 'active' },
    email: { S: `person${i}@example.com` },
    prefs: { M: { theme: { S: 'dark' } } },
  }));
}

describe('strict: true', () => {
  let stack: TestStack;
  let yaml: (destination: string, mappings?: string) => string;
  let input: (destination: string, mappings?: string) => CopyTableInput;
  let scanOrder: string[];

  beforeAll(async () => {
    // A whole segment in one call, so the failing call has written pages of its own before the page it refuses.
    stack = await connectTestStack('e2e-strict-mode', { readPageLimit: PAGE, callBudgetMs: 60_000 });
    await seedTable(stack.dynamo, SOURCE, sourceItems());
    scanOrder = (await scanAll(stack.dynamo, SOURCE)).map(movieKey);
    yaml = (destination, mappings = 'email: email, status: passthrough, prefs.theme: passthrough') =>
      [
        'name: strict-mode',
        `connections: { local: { endpoint: "${stack.dynamoEndpoint}" } }`,
        'source: local',
        'destination: local',
        'salt: s',
        'strict: true',
        'tables:',
        `  - source: ${SOURCE}`,
        `    destination: ${destination}`,
        '    segments: 1',
        `    transformers: { ${mappings} }`,
      ].join('\n');
    input = (destination, mappings) => {
      const job = parseJob(yaml(destination, mappings), 'strict.yaml', builtinRegistry);
      return { jobName: job.name, table: job.tables[0]!, connections: job.connections, defaults: job.defaults, salt: 's', sandbox: job.sandbox, keysAreSensitive: true };
    };
  });
  afterAll(async () => stack?.close());

  const run = async (destination: string, mappings?: string) => {
    await recreateTable(stack.dynamo, destination);
    const handle = await stack.client.workflow.start<typeof copyTable>('copyTable', { taskQueue: stack.taskQueue, workflowId: `strict-${destination}-${Date.now()}`, args: [input(destination, mappings)] });
    const outcome = await handle.result().then(
      (report) => ({ report, error: undefined }),
      (error: unknown) => ({ report: undefined, error }),
    );
    return { handle, ...outcome };
  };

  it('copies every item of a table whose every path the job names', async () => {
    const { report } = await run('StrictAllNamed');
    expect(report).toMatchObject({ read: ITEMS, written: ITEMS });
    expect(await scanAll(stack.dynamo, 'StrictAllNamed')).toHaveLength(ITEMS);
  });

  describe('after the source gains attributes the job does not name', () => {
    const added = (): Item => ({ nickname: { S: CANARY_VALUE }, prefs: { M: { theme: { S: 'dark' }, [CANARY_KEY]: { S: CANARY_VALUE } } } });
    let changed: Item;
    beforeAll(async () => {
      const [year, title] = scanOrder[NEW_AT]!.split('|');
      const item = (await scanAll(stack.dynamo, SOURCE)).find((candidate) => candidate.title!.S === title && candidate.year!.N === year)!;
      changed = { ...item, ...added() };
      await stack.dynamo.send(new PutItemCommand({ TableName: SOURCE, Item: changed }));
    });

    it('stops at the page holding them, before it is written, naming the table and the paths, never a value', async () => {
      const destination = 'StrictStopped';
      const { error, handle } = await run(destination);
      expect(error).toBeInstanceOf(WorkflowFailedError);
      const failed = (error as WorkflowFailedError).cause as ApplicationFailure;
      const failure = tableFailureOf(failed.details?.[0]);
      const before = Math.floor(NEW_AT / PAGE) * PAGE;
      expect(failure).toMatchObject({ source: SOURCE, destination, phase: 'copy', reason: 'UnnamedPath', path: 'nickname', counts: { read: before, written: before, deleted: 0 } });
      expect(failed.message).toBe(renderTableFailure(failure!));
      expect(failed.message).toBe(
        `table "${SOURCE}" -> "${destination}" failed while copying, after ${before} items read and ${before} written: ` +
          "strict: a page holds 2 paths no mapping names (nickname, prefs.*), so it was not written; name each in the table's transformers (passthrough copies it as it is) or in the rule set its items take",
      );
      // Exactly the pages before it: the page holding the new attribute and every page after it are not written.
      expect((await scanAll(stack.dynamo, destination)).map(movieKey).sort()).toEqual(scanOrder.slice(0, before).sort());
      const history = historyText(await handle.fetchHistory());
      expect(history).toContain('UnnamedPath');
      for (const secret of [CANARY_VALUE, CANARY_KEY, 'person1@example.com']) expect(history).not.toContain(secret);
    });

    it('runs again once the job names them', async () => {
      const { report } = await run('StrictNamed', 'email: email, status: passthrough, prefs.*: passthrough, nickname: fullName');
      expect(report).toMatchObject({ read: ITEMS, written: ITEMS });
    });

    it('is what validate --sample and preview say before any run', async () => {
      const job = parseJob(yaml('StrictStopped'), 'strict.yaml', builtinRegistry);
      const coverage = await sampleCoverage(job, builtinRegistry, ITEMS, 'strict.yaml');
      expect(strictlyFailing(coverage)).toBe(1);
      expect(renderCoverage(coverage)).toContain('    strict: a run fails at the first page holding one of these 2 paths, which no mapping names: nickname, prefs.*');
      const lines: string[] = [];
      await previewJob(job, builtinRegistry, { limit: ITEMS, color: false }, (text) => lines.push(text));
      expect(lines.filter((line) => line.includes('strict: a run fails at its page'))).toEqual([expect.stringMatching(/^item \d+ \(year=\d+, title=.*\), strict: a run fails at its page, since no mapping names nickname, prefs\.\*$/)]);
      const named = parseJob(yaml('StrictNamed', 'email: email, status: passthrough, prefs.*: passthrough, nickname: fullName'), 'strict.yaml', builtinRegistry);
      expect(strictlyFailing(await sampleCoverage(named, builtinRegistry, ITEMS, 'strict.yaml'))).toBe(0);
    });
  });
});
