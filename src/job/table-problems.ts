/**
 * Problems that only a look at the tables can find (a key mapping that can
 * merge keys needs the key schema, which the loader never reads), placed in
 * the job file like the loader's own: file, line, path, message. They come
 * with a path inside a table's entry (`transformers.pk`), from prepareTable's
 * failure record or from `validate --sample` and `preview`.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { JobFileError, renderPath, type DocPath, type Problem } from '../../model/problems.ts';
import { locator } from './yaml-positions.ts';
import { readKeysAsWritten, YAML_OPTIONS } from './yaml-surprises.ts';

export interface TableProblems {
  /** The table's index in the job file's `tables`. */
  tableIndex: number;
  problems: readonly { readonly path: DocPath; readonly message: string }[];
}

/** One JobFileError for them all, with lines from the file as it is now (undefined where it no longer parses). */
export async function tableProblemsError(file: string, tables: readonly TableProblems[]): Promise<JobFileError> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  let locate: (path: DocPath) => number | undefined = () => undefined;
  if (text !== undefined) {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, ...YAML_OPTIONS });
    if (doc.errors.length === 0) {
      readKeysAsWritten(doc);
      locate = locator(doc, (offset) => lineCounter.linePos(offset).line);
    }
  }
  const problems: Problem[] = tables.flatMap(({ tableIndex, problems }) =>
    problems.map(({ path, message }) => {
      const at = ['tables', tableIndex, ...path];
      const line = locate(at);
      return { file, ...(line !== undefined ? { line } : {}), path: renderPath(at), message };
    }),
  );
  return new JobFileError(file, problems);
}
