/**
 * `dynamask validate --sample`: the key mappings checked against each
 * source's key schema (as a run's prepareTable does: a refusal is a job-file
 * problem at its line), then which values of a sample of each source table
 * no mapping names, and what the defaults do with them, and how many
 * sampled items each rule set took (rule-set-counts.ts). Reads only.
 */
import { buildPlan, type PlanCounts } from '../../transformers/plan.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { DynamoClients } from '../dynamo/clients.ts';
import type { AttributeType } from '../../model/item.ts';
import { readSample, selectSpec } from '../dynamo/partiql-reader.ts';
import { describeTable, keyAttributesOf, tableKeys } from '../dynamo/table-info.ts';
import type { Job, RuleSet, TableJob } from '../../model/job.ts';
import { checkTableKeyMappings } from '../../transformers/rule-sets.ts';
import { countRuleSets, renderRuleSetCounts, type RuleSetCounts } from './rule-set-counts.ts';
import { tableProblemsError, type TableProblems } from '../job/table-problems.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface TableCoverage {
  source: string;
  sampled: number;
  unmapped: { path: string; type: AttributeType; default: string | undefined }[];
  /** The table's rule sets and what each took of the sample; absent when it has none. */
  rules?: { sets: readonly RuleSet[]; counts: RuleSetCounts };
}

/** `file`: the job file, where refused key mappings are placed. */
export async function sampleCoverage(job: Job, registry: TransformerRegistry, limit: number, file = 'the job file'): Promise<TableCoverage[]> {
  const clients = new DynamoClients();
  try {
    const client = (table: TableJob) => clients.source(table.sourceConnection, job.connections[table.sourceConnection]!);
    const keys = await checkJobKeys(job, job.tables.map((table, tableIndex) => ({ table, tableIndex, client: client(table) })), registry, file);
    const out: TableCoverage[] = [];
    for (const [i, table] of job.tables.entries()) {
      const keyAttributes = keys[i]!;
      // A fixed salt: only which transformer handles each path matters here, not its output.
      const plan = buildPlan(
        {
          transformers: table.transformers,
          ...(table.rules !== undefined && { rules: table.rules }),
          defaults: job.defaults,
          keyAttributes,
          salt: 'coverage',
          onTypeMismatch: 'passthrough',
          sandbox: job.sandbox,
          keysAreSensitive: job.keysAreSensitive,
        },
        registry,
      );
      const items = await readSample(client(table), selectSpec(table), limit);
      const counts: PlanCounts = { typeMismatches: 0, unmapped: new Map(), ruleSets: { matched: [], unmatched: 0 } };
      // Scripts run too: a script that fails on the sample fails here, before any run.
      try {
        await plan.transformPage(items, counts);
      } finally {
        plan.dispose();
      }
      const unmapped = [...counts.unmapped!].map(([path, info]) => ({ path, ...info })).sort((a, b) => a.path.localeCompare(b.path));
      const rules = table.rules !== undefined && table.rules.length > 0 ? { sets: table.rules, counts: countRuleSets(table.rules, items, counts.ruleSets!) } : undefined;
      out.push({ source: table.source, sampled: items.length, unmapped, ...(rules !== undefined && { rules }) });
    }
    return out;
  } finally {
    clients.destroy();
  }
}

/**
 * The key mappings of these tables against their sources' key schemas,
 * as prepareTable checks them; throws one JobFileError for every problem.
 * Resolves with each table's primary key attribute names.
 */
export async function checkJobKeys(
  job: Job,
  tables: readonly { table: TableJob; tableIndex: number; client: DynamoDBClient }[],
  registry: TransformerRegistry,
  file: string,
): Promise<string[][]> {
  const refused: TableProblems[] = [];
  const out: string[][] = [];
  for (const { table, tableIndex, client } of tables) {
    const description = await describeTable(client, table.source);
    const { problems } = checkTableKeyMappings(table, job.defaults, keyAttributesOf(description), registry);
    if (problems.length > 0) refused.push({ tableIndex, problems });
    out.push(tableKeys(description).keyAttributes);
  }
  if (refused.length > 0) throw await tableProblemsError(file, refused);
  return out;
}

export function renderCoverage(coverage: readonly TableCoverage[]): string {
  return coverage
    .map(({ source, sampled, unmapped, rules }) => {
      const ruleLines = rules !== undefined ? renderRuleSetCounts(rules.counts, rules.sets) : [];
      if (unmapped.length === 0) return [`  ${source}: ${sampled} sampled item(s); every value is mapped`, ...ruleLines].join('\n');
      const width = Math.max(...unmapped.map((u) => u.path.length));
      const rows = unmapped.map(
        (u) => `    ${u.path.padEnd(width)}  ${u.type.padEnd(4)}  ${u.default ? `-> ${u.default} (defaults.${u.type})` : 'copied as it is (no default for this type)'}`,
      );
      return [`  ${source}: ${sampled} sampled item(s); values no mapping names:`, ...rows, ...ruleLines].join('\n');
    })
    .join('\n');
}
