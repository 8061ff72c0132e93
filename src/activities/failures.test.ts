/**
 * Errors in, records out: how each error an activity meets leaves it, with
 * its cause record, its reason as type, and retryable only where another
 * attempt can succeed. No server needed: the failures are plain objects.
 */
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { SourceWriteRefused } from '../dynamo/read-only-guard.ts';
import type { ConnectionConfig, TableJob } from '../../model/job.ts';
import { ScriptError } from '../../transformers/js/plan-scripts.ts';
import { SandboxUnavailableError } from '../../transformers/js/sandbox-pool.ts';
import { TransformTypeError } from '../../transformers/errors.ts';
import { DuplicateKeysError } from '../dynamo/batch-writer.ts';
import { ItemRefusedError } from '../dynamo/item-limits.ts';
import { failureCauseOf } from '../../model/failure.ts';
import { activityFailure, connectionOf, dynamoFailure, failingAsData, itemFailure, keyMappingRefusal, planFailure, transformFailure, unnamedPathsRefusal } from './failures.ts';

const table: TableJob = {
  source: 'Movies',
  destination: 'MoviesCopy',
  sourceConnection: 'prod',
  destinationConnection: 'staging',
  consistentRead: false,
  onTypeMismatch: 'error',
  transformers: {},
  mode: 'upsert',
  createTable: false,
  segments: 1,
};
const connections: Record<string, ConnectionConfig> = { prod: { region: 'eu-west-1' }, staging: { endpoint: 'http://localhost:8000' } };

/** What a workflow reads off the failure. */
function seen(failure: unknown) {
  expect(failure).toBeInstanceOf(ApplicationFailure);
  const f = failure as ApplicationFailure;
  return { type: f.type, retryable: !f.nonRetryable, message: f.message, cause: f.details?.[0] };
}

const network = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code });
const named = (name: string, message: string) => Object.assign(new Error(message), { name });
const notFound = () => new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} });

describe('a failed DynamoDB call', () => {
  it('names the missing table in prepare, with the hint', () => {
    expect(seen(dynamoFailure(notFound(), table, connections, { side: 'destination', hint: ' (createTable: true would create it)' }))).toEqual({
      type: 'TableNotFound',
      retryable: false,
      message: 'table "MoviesCopy" not found on connection "staging" (createTable: true would create it)',
      cause: { reason: 'TableNotFound', message: 'table "MoviesCopy" not found on connection "staging" (createTable: true would create it)', connection: 'staging' },
    });
  });

  it('says what the call was doing; the activity message also which table, the cause leaves that to the renderer', () => {
    expect(seen(dynamoFailure(network('ECONNREFUSED'), table, connections, { side: 'destination', doing: 'writing' }))).toEqual({
      type: 'Unreachable',
      retryable: true,
      message: 'writing destination "MoviesCopy": connection "staging": cannot reach DynamoDB at http://localhost:8000 (ECONNREFUSED)',
      cause: { reason: 'Unreachable', message: 'writing the destination: connection "staging": cannot reach DynamoDB at http://localhost:8000 (ECONNREFUSED)', connection: 'staging' },
    });
    expect(seen(dynamoFailure(notFound(), table, connections, { side: 'source', doing: 'looking up keys in' }))).toMatchObject({
      type: 'TableNotFound',
      retryable: false,
      message: 'looking up keys in source "Movies": table not found on connection "prod"',
      cause: { message: 'looking up keys in the source: table not found on connection "prod"' },
    });
  });

  it('fails at once without credentials, and on what DynamoDB or the source guard refuses', () => {
    const credentials = named('CredentialsProviderError', 'Could not load credentials from any providers');
    expect(seen(dynamoFailure(credentials, table, connections, { side: 'source' }))).toMatchObject({
      type: 'NoCredentials',
      retryable: false,
      cause: { reason: 'NoCredentials', connection: 'prod', message: expect.stringMatching(/^connection "prod": no AWS credentials from the AWS default chain/) },
    });
    const invalid = named('ValidationException', 'Item size has exceeded the maximum allowed size');
    expect(seen(dynamoFailure(invalid, table, connections, { side: 'destination', doing: 'writing' }))).toMatchObject({
      type: 'InvalidRequest',
      retryable: false,
      cause: { message: 'writing the destination: Item size has exceeded the maximum allowed size' },
    });
    const refused = new SourceWriteRefused('PutItemCommand refused: dynamask only reads from a source connection');
    expect(seen(dynamoFailure(refused, table, connections, { side: 'source', doing: 'reading' }))).toMatchObject({ type: 'SourceWriteRefused', retryable: false });
  });

  it('leaves what it does not know to activityFailure: retryable, as a raw error was', () => {
    const throttled = named('ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded');
    const failure = dynamoFailure(throttled, table, connections, { side: 'source', doing: 'reading' }) as ApplicationFailure;
    expect(seen(failure)).toEqual({
      type: 'Unexpected',
      retryable: true,
      message: 'ProvisionedThroughputExceededException: The level of configured provisioned throughput for the table was exceeded',
      cause: { reason: 'Unexpected', message: 'ProvisionedThroughputExceededException: The level of configured provisioned throughput for the table was exceeded' },
    });
    expect(failure.cause).toBe(throttled);
  });
});

describe('a page that cannot be transformed', () => {
  it('keeps the path of a type its transformer refuses', () => {
    expect(seen(transformFailure(new TransformTypeError(['info', 'rating'], 'email', ['S'], 'N')))).toEqual({
      type: 'TransformFailed',
      retryable: false,
      message: 'info.rating: transformer "email" accepts S; got N',
      cause: { reason: 'TransformFailed', message: 'info.rating: transformer "email" accepts S; got N', path: 'info.rating' },
    });
  });

  it('tells a script failing from its sandbox failing', () => {
    const message = 'info.rating of the item with key year, title: the js mapping of "info.rating" ran longer than sandbox.timeoutMs (100 ms)';
    expect(seen(transformFailure(new ScriptError(message, 'timeout', 'info.rating')))).toEqual({
      type: 'ScriptFailed',
      retryable: false,
      message,
      cause: { reason: 'ScriptFailed', message, path: 'info.rating' },
    });
    // A failure no value could be placed for has no path.
    expect(seen(transformFailure(new ScriptError('a page of 3 item(s): a script crashed', 'crashed', ''))).cause).toEqual({ reason: 'ScriptFailed', message: 'a page of 3 item(s): a script crashed' });
    expect(seen(transformFailure(new SandboxUnavailableError('the sandbox process exited while starting (SIGKILL)')))).toMatchObject({ type: 'SandboxUnavailable', retryable: true });
  });

  it('refuses a plan that cannot be built for good', () => {
    expect(seen(planFailure(new Error('title: key attribute cannot be mapped to transformer "drop", which drops it')))).toMatchObject({
      type: 'BadPlan',
      retryable: false,
      cause: { reason: 'BadPlan', message: 'title: key attribute cannot be mapped to transformer "drop", which drops it' },
    });
  });
});

describe('whatever leaves an activity', () => {
  it('keeps cancellation as it is, so the worker reports the activity cancelled', () => {
    const cancelled = new CancelledFailure('CANCELLED');
    expect(activityFailure(cancelled)).toBe(cancelled);
    const aborted = named('AbortError', 'Request aborted');
    expect(activityFailure(aborted)).toBe(aborted);
  });

  it('keeps failures mapped already, and maps the rest', async () => {
    const refused = (() => {
      try {
        return connectionOf(connections, 'qa');
      } catch (error) {
        return error;
      }
    })();
    expect(seen(refused)).toEqual({ type: 'BadJob', retryable: false, message: 'connection "qa" is not defined in the job', cause: { reason: 'BadJob', message: 'connection "qa" is not defined in the job', connection: 'qa' } });
    await expect(failingAsData(async () => Promise.reject(refused))).rejects.toBe(refused);
    const failure = await failingAsData(async () => {
      throw new TypeError('cursor.at is not a function');
    }).catch((error: unknown) => error);
    expect(seen(failure)).toMatchObject({ type: 'Unexpected', retryable: true, message: 'TypeError: cursor.at is not a function' });
    expect(seen(activityFailure('a string'))).toMatchObject({ type: 'Unexpected', retryable: true, message: 'the activity threw a value that is not an Error' });
  });
});

describe('key mappings', () => {
  it('refuse a job file’s key mappings once, with each problem at its path inside the table entry', () => {
    const problems = [
      { path: ['transformers', 'pk'], message: 'pk is the table\'s hash key; its mapping (transformer "zipCode") does not keep distinct values distinct (lossy)' },
      { path: ['transformers'], message: 'GSI1PK is the hash key of index GSI1; no mapping names it' },
    ];
    expect(seen(keyMappingRefusal(problems))).toEqual({
      type: 'BadKeyMapping',
      retryable: false,
      message: 'transformers.pk: pk is the table\'s hash key; its mapping (transformer "zipCode") does not keep distinct values distinct (lossy); transformers: GSI1PK is the hash key of index GSI1; no mapping names it',
      cause: {
        reason: 'BadKeyMapping',
        message: 'transformers.pk: pk is the table\'s hash key; its mapping (transformer "zipCode") does not keep distinct values distinct (lossy); transformers: GSI1PK is the hash key of index GSI1; no mapping names it',
        tableProblems: problems,
      },
    });
    expect(failureCauseOf(JSON.parse(JSON.stringify(seen(keyMappingRefusal(problems)).cause)))).toMatchObject({ tableProblems: problems });
    expect(failureCauseOf({ reason: 'BadKeyMapping', message: 'x', tableProblems: [{ path: [{}], message: 'x' }] })).toBeUndefined();
  });

  it('refuse a page whose keys met though the job does not allow it, naming key attributes only', () => {
    const duplicate = new DuplicateKeysError(2, ['pk', 'sk']);
    expect(seen(dynamoFailure(duplicate, table, connections, { side: 'destination', doing: 'writing' }))).toMatchObject({
      type: 'KeysCollided',
      retryable: false,
      cause: {
        reason: 'KeysCollided',
        message: 'writing the destination: 2 item(s) of one page have the same destination key (pk, sk) as another, and the job does not allow key collisions; nothing of the page was written',
      },
    });
  });

  it('refuse a strict page holding paths no mapping names, naming the paths and what the call wrote before it', () => {
    expect(seen(unnamedPathsRefusal(['contacts.*.fax', 'nickname'], { read: 200, written: 200 }))).toEqual({
      type: 'UnnamedPath',
      retryable: false,
      message:
        "strict: a page holds 2 paths no mapping names (contacts.*.fax, nickname), so it was not written; name each in the table's transformers (passthrough copies it as it is) or in the rule set its items take",
      cause: {
        reason: 'UnnamedPath',
        message:
          "strict: a page holds 2 paths no mapping names (contacts.*.fax, nickname), so it was not written; name each in the table's transformers (passthrough copies it as it is) or in the rule set its items take",
        path: 'contacts.*.fax',
        progress: { read: 200, written: 200 },
      },
    });
    expect(failureCauseOf(JSON.parse(JSON.stringify(seen(unnamedPathsRefusal(['x'], { read: 1, written: 1 })).cause)))).toMatchObject({ reason: 'UnnamedPath', progress: { read: 1, written: 1 } });
    expect(failureCauseOf({ reason: 'UnnamedPath', message: 'x', progress: { read: 'many' } })).toBeUndefined();
  });

  it('refuse a transformed item DynamoDB would refuse, once and for good, with the path at fault', () => {
    const refused = new ItemRefusedError('the sort key sk of a transformed item is missing (the table\'s key attributes: pk, sk); nothing of the page was written', 'sk');
    expect(seen(itemFailure(refused))).toEqual({
      type: 'ItemRefused',
      retryable: false,
      message: refused.message,
      cause: { reason: 'ItemRefused', message: refused.message, path: 'sk' },
    });
    expect(failureCauseOf(JSON.parse(JSON.stringify(seen(itemFailure(refused)).cause)))).toMatchObject({ reason: 'ItemRefused', path: 'sk' });
  });
});
