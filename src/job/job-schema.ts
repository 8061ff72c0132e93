/**
 * The shape of a job file as a zod schema: the loader validates with it and
 * `json-schema.ts` turns it into the editor schema, so the two cannot drift.
 *
 * The schema is built around a transformer-ref schema passed in: the loader
 * passes `z.unknown()` and checks refs itself against the registry (that gives
 * better messages than a union of every transformer's options), the JSON
 * Schema passes one precise alternative per transformer.
 *
 * Checks that need more than one field (connection references, destination
 * versus source, duplicate paths) live in the loader, not here.
 */
import { z } from 'zod';
import { ATTRIBUTE_TYPES, type AttributeType } from '../../model/item.ts';
import { secretSourceSchema } from '../../model/secret-ref.ts';

const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** DynamoDB's rule for table and index names. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const ROLE_ARN = /^arn:[a-z0-9-]+:iam::[0-9]{12}:role\/.+$/;

const nonEmptyString = z.string().min(1);
/** Seeds travel with the job in every run's workflow input: a list for reproducing a case, not a subset's worth. */
export const MAX_SEEDS = 1000;

const tableName = z.string().regex(TABLE_NAME, {
  error: 'expected a DynamoDB table name: 3 to 255 letters, digits, "_", "-" or "."',
});
const indexName = z.string().regex(TABLE_NAME, {
  error: 'expected a DynamoDB index name: 3 to 255 letters, digits, "_", "-" or "."',
});
const connectionName = nonEmptyString.describe('The name of an entry of `connections`.');

export const connectionSchema = z
  .strictObject({
    region: nonEmptyString.optional().describe('AWS region, such as us-east-1; default: the AWS SDK default chain (AWS_REGION, profile).'),
    endpoint: z
      .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL, such as http://localhost:8000' })
      .optional()
      .describe('DynamoDB endpoint URL, for DynamoDB Local; default: the AWS endpoint of the region.'),
    profile: nonEmptyString.optional().describe('Profile from the shared AWS config files.'),
    roleArn: z
      .string()
      .regex(ROLE_ARN, { error: 'expected an IAM role ARN, such as arn:aws:iam::123456789012:role/dynamask-read' })
      .optional()
      .describe('IAM role to assume for this connection.'),
    externalId: nonEmptyString.optional().describe('External ID for assuming roleArn.'),
  })
  .refine((connection) => connection.externalId === undefined || connection.roleArn !== undefined, {
    error: 'externalId is only used together with roleArn',
    path: ['externalId'],
  })
  .describe('How to reach DynamoDB. Credentials come from the AWS default chain, a profile, or an assumed role.');

/** Allowed values of the 5 cron fields, and the names Temporal's cron accepts for months and weekdays. */
const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
] as const;

/** The first problem of a 5-field cron expression, or undefined. */
export function cronProblem(text: string): string | undefined {
  const fields = text.trim().split(/\s+/).filter((field) => field !== '');
  if (fields.length !== 5) return `expected a cron expression of 5 fields (minute hour day-of-month month day-of-week), such as "0 3 * * *"; got ${fields.length}`;
  for (const [i, field] of fields.entries()) {
    const spec = CRON_FIELDS[i]!;
    for (const part of field.split(',')) {
      const match = /^(\*|([a-z0-9]+)(?:-([a-z0-9]+))?)(?:\/([0-9]+))?$/i.exec(part);
      if (!match) return `${spec.name} "${part}" is not a value, range, list or step`;
      const value = (token: string | undefined): number | undefined => {
        if (token === undefined) return undefined;
        const named = 'names' in spec ? (spec.names as readonly string[]).indexOf(token.toLowerCase()) : -1;
        if (named >= 0) return named + (spec.name === 'month' ? 1 : 0);
        return /^[0-9]+$/.test(token) ? Number(token) : Number.NaN;
      };
      for (const token of [match[2], match[3]]) {
        const n = value(token);
        if (n === undefined) continue;
        if (Number.isNaN(n)) return `${spec.name} "${token}" is not a number${'names' in spec ? ' or a name' : ''}`;
        if (n < spec.min || n > spec.max) return `${spec.name} ${n} is out of range ${spec.min}-${spec.max}`;
      }
      if (match[4] !== undefined && Number(match[4]) === 0) return `${spec.name} step "/0" is not allowed`;
    }
  }
  return undefined;
}

const cron = z
  .string()
  .superRefine((text, ctx) => {
    const problem = cronProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('When the job runs, as a cron expression of 5 fields, such as "0 3 * * *".');

/** Temporal's duration text: a number and a unit, such as 90s, 15m, 6h or 1d. */
const DURATION = /^[0-9]+(ms|s|m|h|d)$/;
const duration = z.string().regex(DURATION, { error: 'expected a duration such as 90s, 15m, 6h or 1d' });

export const OVERLAP_POLICIES = ['skip', 'bufferOne', 'bufferAll', 'cancelOther', 'terminateOther', 'allowAll'] as const;

const schedule = z
  .strictObject({
    cron: z.union([cron, z.array(cron).min(1)]).optional().describe('When the job runs, as one cron expression of 5 fields (such as "0 3 * * *") or a list of them.'),
    every: duration.optional().describe('Run at this interval instead of a cron expression, such as 6h.'),
    timezone: nonEmptyString.optional().describe('IANA time zone the cron expression is read in, such as Europe/Berlin; default UTC.'),
    overlap: z
      .enum(OVERLAP_POLICIES)
      .default('skip')
      .describe('What happens when a run is due while the previous one is still going: skip (default), bufferOne, bufferAll, cancelOther, terminateOther, allowAll.'),
    jitter: duration.optional().describe('Start each run up to this long after its time, at random.'),
    paused: z.boolean().default(false).describe('Create the schedule paused.'),
  })
  .refine((s) => (s.cron === undefined) !== (s.every === undefined), { error: 'give exactly one of "cron" and "every"' })
  .describe('Run the job on a Temporal Schedule.');

const mode = z
  .enum(['upsert', 'replace', 'incremental'])
  .describe(
    "upsert: put every selected item. replace: also delete, after a complete copy, destination items this run did not select. incremental: apply only what the source's stream says changed since the last run (the first run, and any the stream cannot serve, copy in full as replace does).",
  );
const oversizeItems = z
  .enum(['error', 'skip'])
  .describe(
    "A transformed item over DynamoDB's 400 KB item limit: fail the run naming the table, the path that grew and the key attributes (error), or leave it out and count it in the report (skip).",
  );
const rateLimit = z.number().positive().describe('Items per second, shared by all segments and workers of the table.');

/**
 * `transformerRef`: what a part, a default or a template's `otherwise` names.
 * `mappingRef`: what a table's `transformers` maps a path to, which may also
 * be a template; the same as `transformerRef` unless given (the loader checks
 * both itself).
 */
export function jobSchema<Ref extends z.ZodType, Mapping extends z.ZodType = Ref>(transformerRef: Ref, mappingRef?: Mapping) {
  const mapping = (mappingRef ?? transformerRef) as Mapping;
  // Part names are checked with the parts (part-checks.ts): a record's key check would speak zod's words.
  const parts = z
    .record(z.string(), transformerRef)
    .describe('Part name -> the transformer every template part of that name goes through, such as `userId: permuteId`: the same part gives the same output in every attribute and table.');
  const defaultsShape = Object.fromEntries(ATTRIBUTE_TYPES.map((type) => [type, transformerRef.optional()])) as Record<
    AttributeType,
    z.ZodOptional<Ref>
  >;

  const transformers = z
    .record(z.string(), mapping)
    .default({})
    .describe('Attribute path (such as Email, Address.Street, info.actors[*]) -> transformer, or template(s) such as "USER#{userId}".');

  const ruleSet = z
    .strictObject({
      name: nonEmptyString.optional().describe('Names the rule set in reports and messages; default: its place, such as rules[1].'),
      when: nonEmptyString.describe(
        `PartiQL condition, as \`where\` takes it, selecting the items this rule set applies to, such as begins_with(pk, 'USER#'), "type" = 'order' or attribute_exists(GSI1PK); tested on each source item, in memory.`,
      ),
      parts: parts.optional().describe("Parts for this rule set's templates, over the table's and the top-level `parts` of the same names."),
      transformers: transformers.describe(
        "Attribute path -> transformer or template(s) for the items of this rule set, added to the table's `transformers`: a mapping of the same path replaces the table's, and the more specific pattern wins otherwise (the rule set's when equally specific).",
      ),
    })
    .describe('The mappings of one item type: an item takes the first rule set whose `when` holds, and the table\'s mappings and the defaults for what it does not name.');

  const table = z.strictObject({
    source: tableName.describe('Source table name.'),
    destination: tableName.optional().describe('Destination table name; default: the source name.'),
    sourceConnection: connectionName.optional().describe('Connection to read from; default: the top-level `source`.'),
    destinationConnection: connectionName.optional().describe('Connection to write to; default: the top-level `destination`.'),
    index: indexName.optional().describe('Read this secondary index instead of the base table.'),
    where: nonEmptyString.optional().describe('PartiQL condition selecting the items to copy, such as "Status = \'active\'".'),
    seeds: z
      .array(z.union([nonEmptyString, z.number()]))
      .min(1)
      .max(MAX_SEEDS)
      .optional()
      .describe('Partition key values to start the subset from, such as ["ACCOUNT#42"]: only items of these partitions are selected (and of those, what `where` selects).'),
    wholeCollections: z
      .boolean()
      .default(false)
      .describe('Copy whole item collections: `where` and `seeds` pick root items, and every item that shares a root\'s partition key is copied with it.'),
    references: z
      .strictObject({
        table: tableName.describe("The source table of another entry of `tables` (or this entry's own), whose selection this table follows."),
        attribute: nonEmptyString.describe("This table's attribute that holds a partition key value of that table, such as customerId."),
        template: nonEmptyString
          .optional()
          .describe('The attribute holds the key inside fixed text, as this template with one part, such as "USER#{id}" (the part\'s name is yours to choose); default: the key alone.'),
        index: indexName.optional().describe('A GSI of this table whose partition key is `attribute`; default: such a GSI if the table has one, else a parallel Scan.'),
        limit: z.number().int().min(1).optional().describe('At most this many items per referenced key, newest first by the GSI\'s sort key (needs a GSI).'),
      })
      .optional()
      .describe("Copy the items whose `attribute` holds a partition key that another table's entry (or this one's, for a table that refers to itself) selects, such as the orders of the selected customers; beside `where` or `seeds`, also the items they pick. References may go round a cycle when one of its entries has a `where` or `seeds`: the walk round it copies its least fixpoint."),
    consistentRead: z.boolean().default(false).describe('Use strongly consistent reads.'),
    onTypeMismatch: z
      .enum(['error', 'passthrough', 'null'])
      .default('error')
      .describe('What a value of a type its transformer does not take becomes: fail the run (error), copy it as it is, or NULL.'),
    transformers,
    rules: z
      .array(ruleSet)
      .optional()
      .describe('Rule sets per item type of a single-table design, tried in order on each item: the first whose `when` holds applies; an item none selects gets the table\'s `transformers` alone.'),
    parts: parts.optional().describe('Parts for this table\'s templates, over the top-level `parts` of the same names.'),
    allowKeyCollisions: z
      .boolean()
      .default(false)
      .describe('Allow key mappings that may map two keys to one (the run then counts the items that merge); default false: such a mapping is refused before anything is written.'),
    strict: z
      .boolean()
      .optional()
      .describe('Fail the table at the first page holding a path no mapping of the table (or of the rule set its item takes) names, before that page is written; default: the top-level `strict`.'),
    mode: mode.optional().describe('How the destination is refreshed; default: the top-level `mode`.'),
    oversizeItems: oversizeItems.optional().describe("What a transformed item over 400 KB does; default: the top-level `oversizeItems`."),
    createTable: z.boolean().optional().describe('Create a missing destination table; default: the top-level `createTable`.'),
    segments: z
      .union([z.number().int().min(1).max(1000), z.literal('auto')])
      .default('auto')
      .describe('Parallel Scan segments; auto (default) picks from the table size.'),
    readRateLimit: rateLimit.optional(),
    writeRateLimit: rateLimit.optional(),
  });

  return z
    .strictObject({
      name: z
        .string()
        .regex(JOB_NAME, { error: 'expected a name of letters, digits, ".", "_" and "-", starting with a letter or digit' })
        .describe('Names the workflow and the schedule.'),
      connections: z
        .record(z.string(), connectionSchema)
        .refine((connections) => Object.keys(connections).length > 0, { error: 'must not be empty' })
        .meta({ minProperties: 1 })
        .describe('Connection name -> how to reach DynamoDB.'),
      source: connectionName.optional().describe('Default source connection of every table.'),
      destination: connectionName.optional().describe('Default destination connection of every table.'),
      salt: secretSourceSchema
        .optional()
        .describe(
          'Key for deterministic transformers: where the workers read it ({ env: NAME }, { secretsManager: name, key? }, { ssm: /name }), or a literal (demos only: it is stored in Temporal). Absent: a salt per run, derived by the workers.',
        ),
      allowLiteralSalt: z
        .boolean()
        .optional()
        .describe('Let `schedule apply` store a literal salt in the schedule, where anyone who can read the Temporal namespace can read it; demos only.'),
      parts: parts.optional(),
      defaults: z
        .strictObject(defaultsShape)
        .optional()
        .describe('Transformer for attributes no mapping names, by DynamoDB type.'),
      tables: z.array(table).min(1).describe('The tables to copy.'),
      mode: mode.default('upsert'),
      strict: z
        .boolean()
        .default(false)
        .describe('Every path a run meets must be named by a mapping, a rule set\'s mapping or an explicit passthrough (defaults do not name paths); a page holding another fails its table before it is written, naming the path. Default false.'),
      oversizeItems: oversizeItems.default('error'),
      createTable: z
        .boolean()
        .default(false)
        .describe('Create a missing destination table with the source key schema, attribute definitions and indexes (on-demand billing).'),
      keysAreSensitive: z
        .boolean()
        .default(true)
        .describe('When true (default), error messages name key attributes but never their values; false lets them show key values.'),
      sandbox: z
        .strictObject({
          memoryLimitMb: z.number().int().min(8).max(4096).default(64).describe('Memory limit of the JavaScript isolate, in MB.'),
          timeoutMs: z.number().int().min(1).max(60_000).default(100).describe('CPU time limit of one call into the isolate, in milliseconds.'),
        })
        .default({ memoryLimitMb: 64, timeoutMs: 100 })
        .describe('Limits for JavaScript transformers.'),
      schedule: schedule.optional(),
    })
    .meta({ title: 'dynamask job', description: 'A dynamask job: which DynamoDB tables to copy, and how to anonymize them.' });
}

export type JobSchema = ReturnType<typeof jobSchema<z.ZodUnknown>>;
export type JobInput = z.output<JobSchema>;
