/**
 * Writes schema/job.schema.json from the built-in transformers:
 * `npm run schema` (node src/job/write-json-schema.ts).
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { renderJobJsonSchema } from './json-schema.ts';

export const jobJsonSchemaFile = fileURLToPath(new URL('../../schema/job.schema.json', import.meta.url));

if (import.meta.main) {
  await writeFile(jobJsonSchemaFile, renderJobJsonSchema(builtinRegistry));
  console.log(`wrote ${jobJsonSchemaFile}`);
}
