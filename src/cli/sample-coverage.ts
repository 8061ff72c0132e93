/**
 * `dynamask validate --sample`: which values of a sample of each source
 * table no mapping names, and what the defaults do with them. Reads only.
 */
import { buildPlan, type PlanCounts } from '../../transformers/plan.ts';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { DynamoClients } from '../dynamo/clients.ts';
import type { AttributeType } from '../../model/item.ts';
import { readSample, selectSpec } from '../dynamo/partiql-reader.ts';
import { describeTableKeys } from '../dynamo/table-info.ts';
import type { Job } from '../../model/job.ts';

export interface TableCoverage {
  source: string;
  sampled: number;
  unmapped: { path: string; type: AttributeType; default: string | undefined }[];
}

export async function sampleCoverage(job: Job, registry: TransformerRegistry, limit: number): Promise<TableCoverage[]> {
  const clients = new DynamoClients();
  try {
    const out: TableCoverage[] = [];
    for (const table of job.tables) {
      const client = clients.source(table.sourceConnection, job.connections[table.sourceConnection]!);
      const { keyAttributes } = await describeTableKeys(client, table.source);
      // A fixed salt: only which transformer handles each path matters here, not its output.
      const plan = buildPlan(
        { transformers: table.transformers, defaults: job.defaults, keyAttributes, salt: 'coverage', onTypeMismatch: 'passthrough', sandbox: job.sandbox, keysAreSensitive: job.keysAreSensitive },
        registry,
      );
      const items = await readSample(client, selectSpec(table), limit);
      const counts: PlanCounts = { typeMismatches: 0, unmapped: new Map() };
      // Scripts run too: a script that fails on the sample fails here, before any run.
      try {
        await plan.transformPage(items, counts);
      } finally {
        plan.dispose();
      }
      const unmapped = [...counts.unmapped!].map(([path, info]) => ({ path, ...info })).sort((a, b) => a.path.localeCompare(b.path));
      out.push({ source: table.source, sampled: items.length, unmapped });
    }
    return out;
  } finally {
    clients.destroy();
  }
}

export function renderCoverage(coverage: readonly TableCoverage[]): string {
  return coverage
    .map(({ source, sampled, unmapped }) => {
      if (unmapped.length === 0) return `  ${source}: ${sampled} sampled item(s); every value is mapped`;
      const width = Math.max(...unmapped.map((u) => u.path.length));
      const rows = unmapped.map(
        (u) => `    ${u.path.padEnd(width)}  ${u.type.padEnd(4)}  ${u.default ? `-> ${u.default} (defaults.${u.type})` : 'copied as it is (no default for this type)'}`,
      );
      return [`  ${source}: ${sampled} sampled item(s); values no mapping names:`, ...rows].join('\n');
    })
    .join('\n');
}
