/**
 * The import boundaries in .oxlintrc.json, tried against deliberate
 * violations. A layer block that lost a pattern (a later override replaces
 * an earlier one's rule whole) would still lint the real tree clean, so only
 * imports that must fail show the rules hold. Each case is a file of its own
 * in a scratch copy of the layout, linted by the real config and oxlint;
 * the expected messages are the start of each pattern's message.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

const VITEST = 'no-restricted-imports: production code must not import vitest';
const TEST_DIR = 'no-restricted-imports: production code must not import from test/';
const NODE = 'no-nodejs-modules: Do not import Node.js builtin module';
const INLINE_TYPE = 'no-import-type-side-effects';
const WF_NEVER = 'no-restricted-imports: workflows/ must not import the AWS SDK';
const WF_RUNTIME = 'no-restricted-imports: at runtime workflows/ imports only';
const MODEL = 'no-restricted-imports: model/ is the bottom layer';
const MODEL_AWS = 'no-restricted-imports: model/ may use @aws-sdk/client-dynamodb with `import type` only';
const TR_LAYER = 'no-restricted-imports: transformers/ imports model/ only';
const TR_TEMPORAL = 'no-restricted-imports: transformers/ must not import @temporalio/*';
const DYNAMO_LAYER = 'no-restricted-imports: src/dynamo/ sits below the activities';
const DYNAMO_TEMPORAL = 'no-restricted-imports: src/dynamo/ must not import @temporalio/*';
const SECRETS_LAYER = 'no-restricted-imports: src/aws/ and src/secrets/ sit below the activities';
const SECRETS_TEMPORAL = 'no-restricted-imports: src/aws/ and src/secrets/ must not import @temporalio/*';
const ACTIVITIES = 'no-restricted-imports: src/activities/ must not import';
const JOB = 'no-restricted-imports: src/job/ (the job loader) must not import';
const TOOLS = 'no-restricted-imports: src/discovery, src/verify and src/sizing must not import src/activities';
const TOOLS_TEMPORAL = 'no-restricted-imports: src/discovery, src/verify and src/sizing must not import @temporalio/*';
const BELOW_CLI = 'no-restricted-imports: src/client, src/schedule, src/temporal and src/worker must not import src/cli/';

type Case = [file: string, source: string, fails: string[]];

const PRODUCTION_FOLDERS = [
  'model', 'model/condition', 'transformers', 'transformers/builtin', 'workflows',
  'src/dynamo', 'src/dynamo/where', 'src/aws', 'src/secrets', 'src/activities', 'src/job',
  'src/client', 'src/schedule', 'src/temporal', 'src/worker', 'src/cli', 'src/local-stack',
  'src/discovery', 'src/verify', 'src/sizing',
];
const up = (folder: string) => '../'.repeat(folder.split('/').length);

const cases: Case[] = [
  // Production code, in every layer block: no vitest, nothing from test/.
  // workflows/ and model/ allow so little that their allowlist speaks up too.
  ...PRODUCTION_FOLDERS.flatMap((folder): Case[] => {
    const allowlist = folder === 'workflows' ? [WF_RUNTIME] : folder.startsWith('model') ? [MODEL] : [];
    return [
      [`${folder}/imports-vitest.ts`, "import { expect } from 'vitest';", [VITEST, ...allowlist]],
      [`${folder}/imports-vitest-config.ts`, "import { defineConfig } from 'vitest/config';", [VITEST, ...allowlist]],
      [`${folder}/imports-test-support.ts`, `import { startStack } from '${up(folder)}test/support/stack.ts';`, [TEST_DIR, ...allowlist]],
    ];
  }),
  ['src/cli/side-effect-vitest.ts', "import 'vitest';", [VITEST]],
  // No exemptions: test support lives in test/support/, so a file under transformers/ that imports vitest is refused.
  ['transformers/builtin/contract.ts',
    "import { describe } from 'vitest';\nimport { PlanCache } from '../../src/activities/plan-cache.ts';", [VITEST, TR_LAYER]],

  // workflows/
  ['workflows/node-prefixed.ts', "import { readFile } from 'node:fs/promises';", [NODE, WF_RUNTIME]],
  ['workflows/node-bare.ts', "import { createHash } from 'crypto';", [NODE, WF_RUNTIME]],
  ['workflows/node-type.ts', "import type { Stats } from 'node:fs';", [NODE]],
  ['workflows/aws-runtime.ts', "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';", [WF_NEVER, WF_RUNTIME]],
  ['workflows/aws-type.ts', "import type { AttributeValue } from '@aws-sdk/client-dynamodb';", [WF_NEVER]],
  ['workflows/isolated-vm.ts', "import ivm from 'isolated-vm';", [WF_NEVER, WF_RUNTIME]],
  ['workflows/faker.ts', "import type { Faker } from '@faker-js/faker';", [WF_NEVER]],
  ['workflows/src-runtime.ts', "import { createActivities } from '../src/activities/index.ts';", [WF_RUNTIME]],
  ['workflows/src-mixed.ts', "import { createActivities, type Activities } from '../src/activities/index.ts';", [WF_RUNTIME]],
  ['workflows/src-inline-type.ts', "import { type Activities } from '../src/activities/index.ts';", [INLINE_TYPE]],
  ['workflows/src-dynamic.ts', "export const clients = await import('../src/dynamo/clients.ts');", [WF_RUNTIME]],
  ['workflows/src-side-effect.ts', "import '../src/activities/index.ts';", [WF_RUNTIME]],
  ['workflows/src-not-normalized.ts', "import { createActivities } from './../src/activities/index.ts';", [WF_RUNTIME]],
  ['workflows/node-side-effect.ts', "import 'node:fs';", [NODE, WF_RUNTIME]],
  ['workflows/transformers-reexport.ts', "export { createRegistry } from '../transformers/registry.ts';", [WF_RUNTIME]],
  ['workflows/temporal-client.ts', "import { Client } from '@temporalio/client';", [WF_RUNTIME]],
  ['workflows/yaml.ts', "import { parse } from 'yaml';", [WF_RUNTIME]],
  ['workflows/src-type.ts', "import type { Activities } from '../src/activities/index.ts';", []],
  ['workflows/transformers-type-reexport.ts', "export type { TransformerDefinition } from '../transformers/definition.ts';", []],
  ['workflows/temporal-client-type.ts', "import type { Client } from '@temporalio/client';", []],
  ['workflows/temporal-workflow.ts', "import { proxyActivities } from '@temporalio/workflow';", []],
  ['workflows/temporal-common.ts', "import { ApplicationFailure } from '@temporalio/common';", []],
  ['workflows/temporal-common-deep.ts', "import { msToNumber } from '@temporalio/common/lib/time.js';", []],
  ['workflows/model.ts', "import { ZERO_COUNTS } from '../model/counts.ts';", []],
  ['workflows/sibling.ts', "import { jobLock } from './job-lock.ts';", []],

  // model/
  ['model/imports-src.ts', "import { x } from '../src/dynamo/clients.ts';", [MODEL]],
  ['model/condition/imports-transformers.ts', "import type { x } from '../../transformers/plan.ts';", [MODEL]],
  ['model/imports-workflows.ts', "import type { x } from '../workflows/shared.ts';", [MODEL]],
  ['model/imports-bench.ts', "import { x } from '../bench/support/machine.ts';", [MODEL]],
  ['model/temporal.ts', "import type { Payload } from '@temporalio/common';", [MODEL]],
  ['model/yaml.ts', "import { parse } from 'yaml';", [MODEL]],
  ['model/util-dynamodb.ts', "import { marshall } from '@aws-sdk/util-dynamodb';", [MODEL]],
  ['model/node.ts', "import { readFile } from 'node:fs/promises';", [NODE, MODEL]],
  ['model/aws-runtime.ts', "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';", [MODEL_AWS]],
  ['model/aws-side-effect.ts', "import '@aws-sdk/client-dynamodb';", [MODEL_AWS]],
  ['model/aws-type.ts', "import type { AttributeValue } from '@aws-sdk/client-dynamodb';", []],
  ['model/zod.ts', "import { z } from 'zod';", []],
  ['model/sibling.ts', "import { parseDecimal } from './decimal.ts';", []],
  ['model/condition/parent.ts', "import { parseDecimal } from '../decimal.ts';", []],

  // transformers/
  ['transformers/imports-dynamo.ts', "import { x } from '../src/dynamo/clients.ts';", [TR_LAYER]],
  ['transformers/builtin/imports-activities-type.ts', "import type { x } from '../../src/activities/contracts.ts';", [TR_LAYER]],
  ['transformers/js/imports-cli.ts', "import { x } from '../../src/cli/main.ts';", [TR_LAYER]],
  ['transformers/imports-workflows.ts', "import { x } from '../workflows/shared.ts';", [TR_LAYER]],
  ['transformers/side-effect-src.ts', "import '../src/activities/index.ts';", [TR_LAYER]],
  ['transformers/js/reexport-all.ts', "export * from '../../src/activities/index.ts';", [TR_LAYER]],
  ['transformers/temporal.ts', "import { Context } from '@temporalio/activity';", [TR_TEMPORAL]],
  ['transformers/model.ts', "import type { Item } from '../model/item.ts';", []],
  ['transformers/js/node.ts', "import { createHmac } from 'node:crypto';", []],
  ['transformers/js/isolated-vm.ts', "import ivm from 'isolated-vm';", []],

  // src/dynamo/
  ...['activities', 'cli', 'client', 'worker', 'schedule'].map((folder): Case =>
    [`src/dynamo/imports-${folder}.ts`, `import { x } from '../${folder}/x.ts';`, [DYNAMO_LAYER]]),
  ['src/dynamo/where/imports-activities.ts', "import type { x } from '../../activities/contracts.ts';", [DYNAMO_LAYER]],
  ['src/dynamo/imports-workflows.ts', "import { x } from '../../workflows/shared.ts';", [DYNAMO_LAYER]],
  ['src/dynamo/imports-transformers.ts', "import { x } from '../../transformers/plan.ts';", [DYNAMO_LAYER]],
  ['src/dynamo/side-effect-activities.ts', "import '../activities/index.ts';", [DYNAMO_LAYER]],
  ['src/dynamo/temporal.ts', "import { heartbeat } from '@temporalio/activity';", [DYNAMO_TEMPORAL]],
  ['src/dynamo/where/model.ts', "import { parseWhere } from '../../../model/condition/index.ts';", []],
  ['src/dynamo/aws.ts', "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';", []],

  // src/aws/ and src/secrets/
  ...['activities', 'cli', 'client', 'worker', 'schedule', 'dynamo', 'job'].map((folder): Case =>
    [`src/secrets/imports-${folder}.ts`, `import { x } from '../${folder}/x.ts';`, [SECRETS_LAYER]]),
  ['src/aws/imports-dynamo.ts', "import { createDynamoClient } from '../dynamo/clients.ts';", [SECRETS_LAYER]],
  ['src/secrets/imports-workflows.ts', "import type { x } from '../../workflows/shared.ts';", [SECRETS_LAYER]],
  ['src/secrets/imports-transformers.ts', "import { x } from '../../transformers/plan.ts';", [SECRETS_LAYER]],
  ['src/secrets/temporal.ts', "import { ApplicationFailure } from '@temporalio/common';", [SECRETS_TEMPORAL]],
  ['src/aws/temporal.ts', "import { heartbeat } from '@temporalio/activity';", [SECRETS_TEMPORAL]],
  ['src/secrets/aws.ts', "import { connectionCredentials } from '../aws/connection-credentials.ts';", []],
  ['src/secrets/model.ts', "import type { SecretRef } from '../../model/secret-ref.ts';", []],
  ['src/secrets/sdk.ts', "import { SSMClient } from '@aws-sdk/client-ssm';", []],

  // src/activities/
  ...['cli', 'client', 'schedule', 'worker'].map((folder): Case =>
    [`src/activities/imports-${folder}.ts`, `import { x } from '../${folder}/x.ts';`, [ACTIVITIES]]),
  ['src/activities/imports-workflows.ts', "import type { x } from '../../workflows/shared.ts';", [ACTIVITIES]],
  ['src/activities/dynamo.ts', "import { x } from '../dynamo/batch-writer.ts';", []],
  ['src/activities/transformers.ts', "import { x } from '../../transformers/plan.ts';", []],
  ['src/activities/temporal.ts', "import { heartbeat } from '@temporalio/activity';", []],

  // src/job/
  ...['activities', 'cli', 'client', 'schedule', 'worker'].map((folder): Case =>
    [`src/job/imports-${folder}.ts`, `import { x } from '../${folder}/x.ts';`, [JOB]]),
  ['src/job/imports-workflows.ts', "import { x } from '../../workflows/shared.ts';", [JOB]],
  ['src/job/transformers.ts', "import { x } from '../../transformers/registry.ts';", []],

  // The read-only tools of init, verify and plan.
  ...['discovery', 'verify', 'sizing'].flatMap((tool): Case[] => [
    ...['activities', 'cli', 'client', 'schedule', 'worker'].map((folder): Case =>
      [`src/${tool}/imports-${folder}.ts`, `import { x } from '../${folder}/x.ts';`, [TOOLS]]),
    [`src/${tool}/imports-workflows.ts`, "import type { x } from '../../workflows/shared.ts';", [TOOLS]],
    [`src/${tool}/imports-temporal.ts`, "import { Client } from '@temporalio/client';", [TOOLS_TEMPORAL]],
    [`src/${tool}/reads.ts`, "import { x } from '../dynamo/table-info.ts';\nimport { y } from '../../transformers/plan.ts';\nimport { z } from '../job/job-loader.ts';", []],
  ]),

  // Everything between the CLI and the activities.
  ...['client', 'schedule', 'temporal', 'worker'].flatMap((folder): Case[] => [
    [`src/${folder}/imports-cli.ts`, "import { x } from '../cli/main.ts';", [BELOW_CLI]],
    [`src/${folder}/workflows.ts`, "import { x } from '../../workflows/index.ts';", []],
  ]),

  // The CLI sits on top; tests and benchmarks may import anything.
  ['src/cli/imports-everything.ts', "import { x } from '../worker/x.ts';\nimport { y } from '../../workflows/index.ts';\nimport { z } from 'node:fs';", []],
  ['src/dynamo/reader.test.ts', "import { it } from 'vitest';\nimport { x } from '../activities/x.ts';\nimport { y } from '../../test/support/stack.ts';", []],
  ['workflows/copy-table.test.ts', "import { readFile } from 'node:fs/promises';\nimport { DynamoDBClient } from '@aws-sdk/client-dynamodb';", []],
  ['model/decimal.test.ts', "import { x } from '../src/dynamo/clients.ts';", []],
  ['test/unit/anything.ts', "import { x } from '../../src/cli/main.ts';", []],
  ['bench/support/anything.ts', "import { x } from '../../src/activities/index.ts';", []],
];

interface Diagnostic { code: string; message: string; help?: string; filename: string }

let scratch: string;
const found = new Map<string, Diagnostic[]>();

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dynamask-lint-'));
  await writeFile(join(scratch, '.oxlintrc.json'), await readFile(join(root, '.oxlintrc.json'), 'utf8'));
  for (const [file, source] of cases) {
    await mkdir(dirname(join(scratch, file)), { recursive: true });
    await writeFile(join(scratch, file), `${source}\n`);
  }
  const run = spawnSync(process.execPath, [join(root, 'node_modules/oxlint/bin/oxlint'), '--format', 'json'], {
    cwd: scratch,
    encoding: 'utf8',
  });
  // oxlint exits 1 when it reports errors, which most cases are.
  if (run.error || run.status === null || run.status > 1) {
    throw new Error(`oxlint did not run (status ${run.status}): ${run.stderr}`, { cause: run.error });
  }
  for (const diagnostic of (JSON.parse(run.stdout) as { diagnostics: Diagnostic[] }).diagnostics) {
    found.set(diagnostic.filename, [...(found.get(diagnostic.filename) ?? []), diagnostic]);
  }
}, 60_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

// "eslint(no-restricted-imports)" with help "<the config's message>" →
// "no-restricted-imports: <the config's message>"
const said = (d: Diagnostic) =>
  `${d.code.replace(/^\w+\((.*)\)$/, '$1')}: ${d.code.includes('no-restricted-imports') ? d.help : d.message}`;

describe('import boundaries (.oxlintrc.json)', () => {
  it('has one case per file', () => {
    expect(new Set(cases.map(([file]) => file)).size).toBe(cases.length);
  });

  it.each(cases.map(([file, source, fails]) => ({ file, source, fails })))('$file: $source', ({ file, fails }) => {
    const messages = (found.get(file) ?? []).map(said);
    expect(messages).toHaveLength(fails.length);
    expect(messages).toEqual(expect.arrayContaining(fails.map((text) => expect.stringContaining(text))));
  });
});
