/**
 * `dynamask preview`: a few items of each table before and after the
 * transformation, side by side, changed paths marked, each with the rule
 * set it took, and per table how many items each rule set took. Reads the
 * source with the job's own statement; writes nothing and starts no
 * workflow.
 */
import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { TransformerRegistry } from '../../transformers/registry.ts';
import { buildPlan } from '../../transformers/plan.ts';
import { ScriptError } from '../../transformers/js/plan-scripts.ts';
import { formatPath } from '../../model/path.ts';
import { DynamoClients } from '../dynamo/clients.ts';
import { isSecretRef } from '../../model/secret-ref.ts';
import { SecretError, SecretResolver, secretResolverOptionsFromEnv } from '../secrets/index.ts';
import { flattenItem, type Item } from '../../model/item.ts';
import { readSample, selectSpec } from '../dynamo/partiql-reader.ts';
import type { Job, RuleSet } from '../../model/job.ts';
import { ruleSetLabel } from '../../transformers/rule-sets.ts';
import { checkJobKeys } from './sample-coverage.ts';
import { countRuleSets, renderRuleSetCounts } from './rule-set-counts.ts';

export interface PreviewOptions {
  /** Only this source table. */
  table?: string;
  limit: number;
  /** Highlight changed rows with ANSI colours (a TTY). */
  color: boolean;
  /** Characters per value column. */
  width?: number;
}

/** `file`: the job file, where refused key mappings are placed (as `dynamask run` would refuse them). */
export async function previewJob(job: Job, registry: TransformerRegistry, options: PreviewOptions, print: (text: string) => void, file = 'the job file'): Promise<void> {
  const tables = options.table ? job.tables.filter((t) => t.source === options.table) : job.tables;
  if (tables.length === 0) throw new Error(`job "${job.name}" has no table "${options.table}"; its tables are ${job.tables.map((t) => `"${t.source}"`).join(', ')}`);
  const salt = await previewSalt(job, print);
  const clients = new DynamoClients();
  try {
    const selected = tables.map((table) => ({ table, tableIndex: job.tables.indexOf(table), client: clients.source(table.sourceConnection, job.connections[table.sourceConnection]!) }));
    const keys = await checkJobKeys(job, selected, registry, file);
    for (const [i, { table, client }] of selected.entries()) {
      const keyAttributes = keys[i]!;
      // The preview prints values anyway, so script errors may show theirs (and the item's key).
      const plan = buildPlan(
        {
          transformers: table.transformers,
          ...(table.rules !== undefined && { rules: table.rules }),
          defaults: job.defaults,
          keyAttributes,
          salt,
          onTypeMismatch: table.onTypeMismatch,
          sandbox: job.sandbox,
          keysAreSensitive: false,
        },
        registry,
        { revealScriptMessages: true },
      );
      const rules = table.rules ?? [];
      try {
        const items = await readSample(client, selectSpec(table), options.limit);
        print(`${table.source} -> ${table.destination}: ${items.length} item(s)${table.where ? ` where ${table.where}` : ''}\n`);
        const taken = { matched: [] as number[], unmatched: 0 };
        for (const [i, item] of items.entries()) {
          const key = keyAttributes.map((name) => `${name}=${renderValue(item[name])}`).join(', ');
          const counts = { typeMismatches: 0, ruleSets: { matched: [] as number[], unmatched: 0 } };
          let after: Item;
          try {
            // One item per page, so that counts and a script's failure belong to this item.
            [after] = (await plan.transformPage([item], counts)) as [Item];
          } catch (error) {
            if (!(error instanceof ScriptError)) throw error;
            print(`item ${i + 1} (${key}): ${error.message}\n`);
            continue;
          } finally {
            taken.unmatched += counts.ruleSets.unmatched;
            counts.ruleSets.matched.forEach((n, index) => (taken.matched[index] = (taken.matched[index] ?? 0) + n));
          }
          const took = rules.length === 0 ? '' : `, ${tookRuleSet(rules, counts.ruleSets.matched)}`;
          print(`item ${i + 1} (${key})${took}${counts.typeMismatches ? `, ${counts.typeMismatches} type mismatch(es)` : ''}`);
          print(renderSideBySide(item, after, options));
          print('');
        }
        if (rules.length > 0) print(`${renderRuleSetCounts(countRuleSets(rules, items, taken), rules, '').join('\n')}\n`);
      } finally {
        plan.dispose();
      }
    }
  } finally {
    clients.destroy();
  }
}

/** `rule set "order"`, or `no rule set` for an item the table's mappings alone took. */
function tookRuleSet(rules: readonly RuleSet[], matched: readonly number[]): string {
  const index = matched.findIndex((n) => n > 0);
  return index < 0 ? 'no rule set' : ruleSetLabel(rules[index]!, index);
}

/** Rows of path | before | after; a changed row starts with `*`. */
export function renderSideBySide(before: Item, after: Item, options: Pick<PreviewOptions, 'color' | 'width'>): string {
  const width = options.width ?? 40;
  const left = new Map(flattenItem(before).map((e) => [formatPath(e.path), renderValue(e.value)]));
  const right = new Map(flattenItem(after).map((e) => [formatPath(e.path), renderValue(e.value)]));
  const paths = [...new Set([...left.keys(), ...right.keys()])];
  const rows = paths.map((path) => {
    const a = left.get(path) ?? '(absent)';
    const b = right.get(path) ?? '(removed)';
    return { path, a: clip(a, width), b: clip(b, width), changed: a !== b };
  });
  const pathWidth = Math.max(4, ...rows.map((r) => r.path.length));
  const line = (mark: string, path: string, a: string, b: string) => `${mark} ${path.padEnd(pathWidth)}  ${a.padEnd(width)}  ${b}`;
  return [
    line(' ', 'path', 'before', 'after'),
    ...rows.map((r) => {
      const text = line(r.changed ? '*' : ' ', r.path, r.a, r.b);
      return r.changed && options.color ? `\u001b[33m${text}\u001b[0m` : text;
    }),
  ].join('\n');
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** Compact, type-revealing text: strings quoted, numbers as their exact text, sets in braces. */
export function renderValue(value: AttributeValue | undefined): string {
  if (value === undefined) return '';
  if (value.S !== undefined) return JSON.stringify(value.S);
  if (value.N !== undefined) return value.N;
  if (value.B !== undefined) return `<${Buffer.from(value.B).toString('base64')}>`;
  if (value.BOOL !== undefined) return String(value.BOOL);
  if (value.NULL !== undefined) return 'NULL';
  if (value.SS !== undefined) return `{${value.SS.map((s) => JSON.stringify(s)).join(', ')}}`;
  if (value.NS !== undefined) return `{${value.NS.join(', ')}}`;
  if (value.BS !== undefined) return `{${value.BS.map((b) => `<${Buffer.from(b).toString('base64')}>`).join(', ')}}`;
  if (value.M !== undefined) return '{}';
  if (value.L !== undefined) return '[]';
  return '?';
}

/**
 * The salt as the workers would read it, read here instead: preview runs no
 * workflow, and prints values anyway. Where this machine cannot read it, or
 * the job has none (each run's is derived on the workers), a random one.
 */
async function previewSalt(job: Job, print: (text: string) => void): Promise<string> {
  if (job.salt === undefined) {
    print("note: the job has no salt (each run's is derived on the workers), so this preview draws a random one; fakes differ from run to run\n");
    return randomUUID();
  }
  if (!isSecretRef(job.salt)) return job.salt;
  const resolver = new SecretResolver(secretResolverOptionsFromEnv());
  try {
    return await resolver.resolve(job.salt, { connections: job.connections });
  } catch (error) {
    if (!(error instanceof SecretError)) throw error;
    print(`note: ${error.message}; this preview draws a random salt instead, so its fakes are not the workers'\n`);
    return randomUUID();
  } finally {
    resolver.destroy();
  }
}
