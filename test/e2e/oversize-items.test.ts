/**
 * Items DynamoDB would refuse, on the real local stack: a transformer that
 * grows an item past 400 KB fails the run naming the table, the path and
 * the key attributes before its page is written (not with a bare
 * ValidationException for a batch), or with `oversizeItems: skip` leaves
 * exactly those items out and counts them, also through connection resets
 * that make pages be written again.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { startRun } from '../../src/client/runs.ts';
import type { Item } from '../../model/item.ts';
import { jobFailureOf } from '../../model/failure.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import { connectTestStack, scanAll, type TestStack } from '../support/stack.ts';

const SOURCE = 'OversizeDocs';
const KEYS = {
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' as const },
    { AttributeName: 'sk', KeyType: 'RANGE' as const },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' as const },
    { AttributeName: 'sk', AttributeType: 'N' as const },
  ],
};
/** Items whose `body` the script makes ~420 KB: every 25th. */
const isBig = (i: number) => i % 25 === 7;
const docs: Item[] = Array.from({ length: 300 }, (_, i) => ({
  pk: { S: `DOC#${i % 40}` },
  sk: { N: String(i) },
  body: { S: isBig(i) ? `grow-secret-${i}` : `small-${i}` },
}));
const bigKeys = docs.filter((_, i) => isBig(i)).map((d) => d.sk!.N!);

function job(endpoint: string, destination: string, oversize: string): string {
  return `
name: oversize-${destination}
connections:
  ${destination}: { endpoint: "${endpoint}" }
source: ${destination}
destination: ${destination}
salt: oversize-salt
oversizeItems: ${oversize}
defaults: { S: passthrough }
tables:
  - source: ${SOURCE}
    destination: ${destination}
    transformers:
      body: { js: "return value.startsWith('grow') ? 'x'.repeat(420000) : value" }
`;
}

describe('transformed items DynamoDB would refuse', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await connectTestStack('e2e-oversize', { readPageLimit: 50, callBudgetMs: 1_000 });
    await seedTable(stack.dynamo, SOURCE, docs, KEYS);
  });
  afterAll(async () => stack?.close());

  it('fail the run by table, path and key attribute names, before the page with one is written', async () => {
    const destination = 'OversizeFail';
    await recreateTable(stack.dynamo, destination, KEYS);
    const run = await startRun(stack.client, parseJob(job(stack.dynamoEndpoint, destination, 'error'), 'oversize.yaml', builtinRegistry), { taskQueue: stack.taskQueue });
    const error = await run.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const failure = jobFailureOf((error as WorkflowFailedError).cause && ((error as WorkflowFailedError).cause as { details?: unknown[] }).details?.[0]);
    expect(failure?.failures).toEqual([
      expect.objectContaining({
        source: SOURCE,
        destination,
        phase: 'copy',
        reason: 'ItemRefused',
        path: 'body',
        message: expect.stringMatching(
          /^a transformed item would be 42\d{4} bytes, over DynamoDB's 400 KB item limit \(409600 bytes of attribute names and values\); body grew most \(\+\d{6} bytes\); the table's key attributes: pk, sk; oversizeItems: skip would leave/,
        ),
      }),
    ]);
    expect(JSON.stringify(failure)).not.toContain('grow-secret');
    expect(JSON.stringify(failure)).not.toContain('DOC#');
    // The failing page was refused whole: no oversize item, and fewer items than the source.
    const copies = await scanAll(stack.dynamo, destination);
    expect(copies.length).toBeLessThan(docs.length - bigKeys.length);
    expect(copies.filter((c) => bigKeys.includes(c.sk!.N!))).toEqual([]);
  });

  it('fail the run naming an index key that came out empty and its index, before its page is written, when the destination has that index', async () => {
    const destination = 'IndexKeyEmpty';
    const withIndex = {
      ...KEYS,
      AttributeDefinitions: [...KEYS.AttributeDefinitions, { AttributeName: 'tag', AttributeType: 'S' as const }],
      GlobalSecondaryIndexes: [{ IndexName: 'byTag', KeySchema: [{ AttributeName: 'tag', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'KEYS_ONLY' as const } }],
    };
    await recreateTable(stack.dynamo, destination, withIndex);
    const tagged = `${job(stack.dynamoEndpoint, destination, 'skip').replace(/      body: .*\n/, '')}      tag: { js: "return value === 'tag-secret-7' ? '' : value" }\n`;
    const source = 'IndexKeySource';
    await seedTable(stack.dynamo, source, docs.map((d, i) => ({ ...d, tag: { S: `tag-secret-${i % 10}` } })), KEYS);
    const run = await startRun(stack.client, parseJob(tagged.replace(`source: ${SOURCE}`, `source: ${source}`), 'index-key.yaml', builtinRegistry), { taskQueue: stack.taskQueue });
    const error = await run.result().catch((e: unknown) => e);
    const failure = jobFailureOf(((error as WorkflowFailedError).cause as { details?: unknown[] } | undefined)?.details?.[0]);
    expect(failure?.failures).toEqual([
      expect.objectContaining({
        source,
        destination,
        reason: 'ItemRefused',
        path: 'tag',
        message: "tag, the hash key of index byTag, of a transformed item came out empty, which DynamoDB refuses for an index key (leave the attribute out to keep the item out of the index) (the table's key attributes: pk, sk); nothing of the page was written",
      }),
    ]);
    expect(JSON.stringify(failure)).not.toContain('tag-secret');
    // The page with the empty tag was refused whole, so no item of it is there.
    expect((await scanAll(stack.dynamo, destination)).length).toBeLessThan(docs.length - docs.length / 10);
  });

  it('with oversizeItems: skip leave exactly those items out and count them, through resets that write pages again', async () => {
    const destination = 'OversizeSkip';
    await recreateTable(stack.dynamo, destination, KEYS);
    const proxy = await startFaultProxy({ target: stack.dynamoEndpoint, seed: 16, rules: [{ kind: 'resetMidResponse', rate: 0.15 }] });
    try {
      const run = await startRun(stack.client, parseJob(job(proxy.endpoint, destination, 'skip'), 'oversize.yaml', builtinRegistry), { taskQueue: stack.taskQueue });
      const result = await run.result();
      expect(proxy.stats().injected.resetMidResponse).toBeGreaterThan(0);
      expect(result.tables).toEqual([expect.objectContaining({ read: docs.length, written: docs.length - bigKeys.length, oversize: bigKeys.length })]);
    } finally {
      await proxy.close();
    }
    const copies = await scanAll(stack.dynamo, destination);
    expect(copies.map((c) => c.sk!.N!).sort()).toEqual(docs.map((d) => d.sk!.N!).filter((sk) => !bigKeys.includes(sk)).sort());
  });
});
