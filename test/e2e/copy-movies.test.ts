/**
 * The end-to-end path on the real local stack: a YAML job, a real Temporal
 * workflow, DynamoDB Local on both ends, checked item by item.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { WorkflowFailedError } from '@temporalio/client';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { formatPath } from '../../model/path.ts';
import { startRun } from '../../src/client/runs.ts';
import { flattenItem, type Item } from '../../model/item.ts';
import { parseJob } from '../../src/job/job-loader.ts';
import { loadMovies } from '../../src/local-stack/movie-data.ts';
import { recreateTable, seedTable } from '../../src/local-stack/seed.ts';
import { progressQuery } from '../../workflows/shared.ts';
import { connectTestStack, movieKey, scanAll, type TestStack } from '../support/stack.ts';

const SOURCE = 'E2eMovies';
const DESTINATION = 'E2eMoviesAnonymized';

/** Items beyond moviedata's types, inside the subset: every DynamoDB type, exact numbers. */
const EXTRA_ITEMS: Item[] = [
  {
    year: { N: '2011' },
    title: { S: 'zz every type' },
    info: {
      M: {
        actors: { L: [{ S: 'Real Person' }] },
        rating: { N: '8.30' },
        huge: { N: '12345678901234567890123456789012345678' },
        tiny: { N: '-1.2345678901234567890123456789012345678E-120' },
        empty: { S: '' },
        flag: { BOOL: false },
        nothing: { NULL: true },
        blob: { B: new Uint8Array([0, 1, 2, 255]) },
        tags: { SS: ['a', 'b'] },
        scores: { NS: ['1.50', '9007199254740993'] },
        blobs: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
        nested: { L: [{ M: { s: { SS: ['x'] }, l: { L: [] }, m: { M: {} } } }] },
      },
    },
  },
];

function jobYaml(endpoint: string, destination = DESTINATION): string {
  return `
name: e2e-movies
connections:
  local:
    endpoint: ${endpoint}
source: local
destination: local
salt: e2e-salt
# Movie data is public: copy everything but the names as it is.
defaults: { S: passthrough, SS: passthrough }
tables:
  - source: ${SOURCE}
    destination: ${destination}
    where: '"year" BETWEEN 2010 AND 2011'
    transformers:
      info.actors[*]: fullName
      info.directors[*]: fullName
`;
}

const inSubset = (item: Item) => {
  const year = Number(item.year?.N);
  return year >= 2010 && year <= 2011;
};

describe('copying moviedata with a WHERE subset through Temporal', () => {
  let stack: TestStack;
  let sourceItems: Item[];

  beforeAll(async () => {
    stack = await connectTestStack('e2e-copy-movies', { callBudgetMs: 200 });
    sourceItems = [...(await loadMovies()), ...EXTRA_ITEMS];
    await seedTable(stack.dynamo, SOURCE, sourceItems);
  });
  afterAll(async () => stack?.close());

  it('writes exactly the selected items, keys kept, mapped paths changed, everything else byte-for-byte', async () => {
    await recreateTable(stack.dynamo, DESTINATION);
    const job = parseJob(jobYaml(stack.dynamoEndpoint), 'e2e.yaml', builtinRegistry);
    const handle = await startRun(stack.client, job, { taskQueue: stack.taskQueue });
    const result = await handle.result();

    const selected = sourceItems.filter(inSubset);
    expect(selected.length).toBe(534 + EXTRA_ITEMS.length);
    expect(result.tables).toEqual([
      expect.objectContaining({ source: SOURCE, destination: DESTINATION, read: selected.length, written: selected.length }),
    ]);

    const written = new Map((await scanAll(stack.dynamo, DESTINATION)).map((item) => [movieKey(item), item]));
    expect(written.size).toBe(selected.length);
    let changedNames = 0;
    for (const source of selected) {
      const copy = written.get(movieKey(source));
      expect(copy, movieKey(source)).toBeDefined();
      // DynamoDB does not keep attribute order, so leaves are compared by path.
      const before = new Map(flattenItem(source).map((e) => [formatPath(e.path), e.value]));
      const after = new Map(flattenItem(copy!).map((e) => [formatPath(e.path), e.value]));
      // Same leaves at the same paths: list lengths kept, nothing added or lost.
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      for (const [path, original] of before) {
        const value = after.get(path)!;
        if (/^info\.(actors|directors)\[\d+\]$/.test(path)) {
          expect(value.S, path).toBeTypeOf('string');
          expect(value.S, path).not.toBe(original.S);
          changedNames++;
        } else {
          expect(canonical(value), `${movieKey(source)} ${path}`).toEqual(canonical(original));
        }
      }
    }
    expect(changedNames).toBeGreaterThan(1000);

    // The progress query still answers after the run, with the final counts.
    expect(await handle.query(progressQuery)).toEqual([
      {
        source: SOURCE,
        destination: DESTINATION,
        status: 'completed',
        read: selected.length,
        written: selected.length,
        typeMismatches: 0,
        deleted: 0,
        startedAtMs: expect.any(Number),
        readPlan: expect.stringMatching(/^parallel Scan, \d+ segments?, filter from where$/),
        finishedAtMs: expect.any(Number),
      },
    ]);
  });

  it('gives the same fake names in a second run with the same salt', async () => {
    const again = `${DESTINATION}Again`;
    await recreateTable(stack.dynamo, again);
    const job = parseJob(jobYaml(stack.dynamoEndpoint, again), 'e2e.yaml', builtinRegistry);
    await (await startRun(stack.client, job, { taskQueue: stack.taskQueue })).result();
    const first = new Map((await scanAll(stack.dynamo, DESTINATION)).map((item) => [movieKey(item), item]));
    for (const item of await scanAll(stack.dynamo, again)) {
      expect(canonical(item)).toEqual(canonical(first.get(movieKey(item))!));
    }
  });

  it('fails with the table named, before writing, when the destination does not exist', async () => {
    const job = parseJob(jobYaml(stack.dynamoEndpoint, 'NoSuchTable'), 'e2e.yaml', builtinRegistry);
    const handle = await startRun(stack.client, job, { taskQueue: stack.taskQueue });
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(String((error as WorkflowFailedError).cause?.message)).toMatch(/table "NoSuchTable" not found on connection "local"/);
  });
});

/** Binary values compared by their bytes, whatever buffer type the SDK returns. */
function canonical(value: AttributeValue | Item): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? `bytes:${Buffer.from(v).toString('hex')}` : v)),
  );
}
