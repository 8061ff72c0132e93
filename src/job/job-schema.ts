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
import { ATTRIBUTE_TYPES, type AttributeType } from '../dynamo/item-codec.ts';

const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** DynamoDB's rule for table and index names. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const ROLE_ARN = /^arn:[a-z0-9-]+:iam::[0-9]{12}:role\/.+$/;

const nonEmptyString = z.string().min(1);

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

const cron = z
  .string()
  .refine(
    (text) => {
      const fields = text.trim().split(/\s+/).filter((field) => field !== '');
      return fields.length === 5 || fields.length === 6;
    },
    { error: 'expected a cron expression of 5 fields (minute hour day-of-month month day-of-week), such as "0 3 * * *"' },
  )
  .describe('When the job runs, as a cron expression of 5 fields, such as "0 3 * * *".');

export function jobSchema<Ref extends z.ZodType>(transformerRef: Ref) {
  const defaultsShape = Object.fromEntries(ATTRIBUTE_TYPES.map((type) => [type, transformerRef.optional()])) as Record<
    AttributeType,
    z.ZodOptional<Ref>
  >;

  const table = z.strictObject({
    source: tableName.describe('Source table name.'),
    destination: tableName.optional().describe('Destination table name; default: the source name.'),
    sourceConnection: connectionName.optional().describe('Connection to read from; default: the top-level `source`.'),
    destinationConnection: connectionName.optional().describe('Connection to write to; default: the top-level `destination`.'),
    index: indexName.optional().describe('Read this secondary index instead of the base table.'),
    where: nonEmptyString.optional().describe('PartiQL condition selecting the items to copy, such as "Status = \'active\'".'),
    consistentRead: z.boolean().default(false).describe('Use strongly consistent reads.'),
    onTypeMismatch: z
      .enum(['error', 'passthrough', 'null'])
      .default('error')
      .describe('What a value of a type its transformer does not take becomes: fail the run (error), copy it as it is, or NULL.'),
    transformers: z
      .record(z.string(), transformerRef)
      .default({})
      .describe('Attribute path (such as Email, Address.Street, info.actors[*]) -> transformer.'),
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
      salt: nonEmptyString.optional().describe('Key for deterministic transformers; absent: a random salt per run.'),
      defaults: z
        .strictObject(defaultsShape)
        .optional()
        .describe('Transformer for attributes no mapping names, by DynamoDB type.'),
      tables: z.array(table).min(1).describe('The tables to copy.'),
      schedule: z.strictObject({ cron }).optional().describe('Run the job on a Temporal Schedule.'),
    })
    .meta({ title: 'dynamask job', description: 'A dynamask job: which DynamoDB tables to copy, and how to anonymize them.' });
}

export type JobSchema = ReturnType<typeof jobSchema<z.ZodUnknown>>;
export type JobInput = z.output<JobSchema>;
