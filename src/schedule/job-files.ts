/**
 * Job files and folders as `schedule apply` takes them, and the `<job>`
 * argument of the other schedule commands (a job name or a job file).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import type { Env } from '../job/interpolate.ts';
import type { Job } from '../../model/job.ts';
import { JobFileError, loadJobFileWithWarnings, type Problem } from '../job/job-loader.ts';
import { LITERAL_SALT_IN_SCHEDULE } from '../job/salt-checks.ts';
import { timezoneProblem } from './schedule-options.ts';

const JOB_FILE = /\.ya?ml$/i;
/** The job schema's rule for names. */
const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface LoadedJobs {
  /** Jobs with a schedule, in the order given (a folder's files sorted by name). */
  scheduled: { file: string; job: Job }[];
  /** Jobs without one: apply says it skips them. */
  unscheduled: { file: string; job: Job }[];
}

/** Files as given; a folder gives its *.yaml and *.yml files (not its subfolders). */
export async function expandJobPaths(paths: readonly string[]): Promise<{ files: string[]; problems: Problem[] }> {
  const files: string[] = [];
  const problems: Problem[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) {
      problems.push({ file: path, path: '', message: 'no such file or folder' });
    } else if (info.isDirectory()) {
      const names = (await readdir(path)).filter((name) => JOB_FILE.test(name)).sort();
      if (names.length === 0) problems.push({ file: path, path: '', message: 'folder holds no .yaml or .yml job file' });
      files.push(...names.map((name) => join(path, name)));
    } else {
      files.push(path);
    }
  }
  return { files: [...new Set(files)], problems };
}

/**
 * Loads every file and checks what applying needs beyond a valid job: one
 * file per job name, time zones the server knows, and no literal salt
 * unless the job accepts that it is stored in the schedule. Every problem
 * of every file is thrown together, before anything is written.
 */
export async function loadJobsForSchedules(paths: readonly string[], env: Env = process.env): Promise<LoadedJobs> {
  const { files, problems } = await expandJobPaths(paths);
  const loaded: { file: string; job: Job }[] = [];
  for (const file of files) {
    try {
      const { job, warnings } = await loadJobFileWithWarnings(file, builtinRegistry, env);
      loaded.push({ file, job });
      // A schedule keeps its action for good, and starts runs unattended: the salt must be a reference there.
      for (const warning of warnings) {
        if (warning.code === 'literalSalt' && job.schedule !== undefined && !job.allowLiteralSalt) {
          problems.push({ file, ...(warning.line !== undefined && { line: warning.line }), path: warning.path, message: LITERAL_SALT_IN_SCHEDULE });
        }
      }
    } catch (error) {
      if (!(error instanceof JobFileError)) throw error;
      problems.push(...error.problems);
    }
  }
  const firstFileOf = new Map<string, string>();
  for (const { file, job } of loaded) {
    const first = firstFileOf.get(job.name);
    if (first !== undefined) problems.push({ file, path: 'name', message: `job "${job.name}" is also defined in ${first}; one schedule per job name` });
    else firstFileOf.set(job.name, file);
    const timezone = job.schedule?.timezone;
    const problem = timezone === undefined ? undefined : timezoneProblem(timezone);
    if (problem) problems.push({ file, path: 'schedule.timezone', message: problem });
  }
  if (problems.length > 0) throw new JobFileError(problems[0]!.file, problems);
  return {
    scheduled: loaded.filter(({ job }) => job.schedule !== undefined),
    unscheduled: loaded.filter(({ job }) => job.schedule === undefined),
  };
}

/**
 * The job a `<job>` argument names. A file is read for its `name` only, so a
 * schedule can be paused or deleted without the environment its job needs.
 */
export async function resolveJobName(ref: string): Promise<string> {
  const info = await stat(ref).catch(() => undefined);
  if (info?.isFile()) {
    let text: string;
    try {
      text = await readFile(ref, 'utf8');
    } catch (error) {
      throw new JobFileError(ref, [{ file: ref, path: '', message: `cannot read the job file: ${(error as Error).message}` }], { cause: error });
    }
    const name: unknown = parseDocument(text).get('name');
    if (typeof name !== 'string' || !JOB_NAME.test(name)) {
      throw new JobFileError(ref, [{ file: ref, path: 'name', message: 'expected a job name (letters, digits, ".", "_", "-")' }]);
    }
    return name;
  }
  if (JOB_FILE.test(ref)) throw new JobFileError(ref, [{ file: ref, path: '', message: 'cannot read the job file: no such file' }]);
  if (!JOB_NAME.test(ref)) {
    throw new JobFileError(ref, [{ file: ref, path: '', message: 'neither a job file nor a job name (letters, digits, ".", "_", "-")' }]);
  }
  return ref;
}
