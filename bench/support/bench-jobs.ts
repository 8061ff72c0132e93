/**
 * The dynamask cases as job files, loaded through the job loader like any
 * user's job. Every job copies unmapped strings as they are (movie data is
 * public), so the cases differ only in what they name.
 */
import { stringify } from 'yaml';
import type { Job } from '../../model/job.ts';
import { JobFileError, parseJob } from '../../src/job/job-loader.ts';

/** Five built-ins on the moviedata fields most like personal data. */
export const REALISTIC_BUILTINS: Record<string, unknown> = {
  'info.actors[*]': 'fullName',
  // moviedata has no contact field; directors stand in for one.
  'info.directors[*]': 'email',
  'info.image_url': 'hash',
  'info.release_date': { type: 'dateShift', maxDays: 30 },
  'info.plot': 'characterScramble',
};

/** The one JavaScript transform of the realistic mix. */
export const REALISTIC_JS: Record<string, unknown> = {
  'info.genres[*]': { js: 'return value.toUpperCase()' },
};

/** Attributes the realistic mix must have changed in every copied item that has them. */
export const REALISTIC_CHANGED_PATHS = ['info.actors', 'info.directors', 'info.image_url', 'info.release_date', 'info.plot', 'info.genres'] as const;

export interface BenchJobSpec {
  name: string;
  endpoint: string;
  source: string;
  destination: string;
  where?: string;
  /** The table's `segments:`; absent: `auto`, as a user's job. */
  segments?: number;
  transformers?: Record<string, unknown>;
}

export function benchJobYaml(spec: BenchJobSpec): string {
  return stringify({
    name: spec.name,
    connections: { local: { region: 'us-east-1', endpoint: spec.endpoint } },
    source: 'local',
    destination: 'local',
    salt: 'bench-salt',
    defaults: { S: 'passthrough', SS: 'passthrough' },
    tables: [
      {
        source: spec.source,
        destination: spec.destination,
        ...(spec.where ? { where: spec.where } : {}),
        ...(spec.segments !== undefined ? { segments: spec.segments } : {}),
        ...(spec.transformers ? { transformers: spec.transformers } : {}),
      },
    ],
  });
}

export interface RealisticJob {
  job: Job;
  /** Whether the JavaScript transform is in the job: the loader may not take `js` yet. */
  js: 'included' | { rejected: string };
}

/** The realistic mix with its JavaScript transform, or without it (and why) when the loader refuses it. */
export function realisticMixJob(spec: Omit<BenchJobSpec, 'transformers'>): RealisticJob {
  try {
    return { job: parseJob(benchJobYaml({ ...spec, transformers: { ...REALISTIC_BUILTINS, ...REALISTIC_JS } }), `${spec.name}.yaml`), js: 'included' };
  } catch (error) {
    if (!(error instanceof JobFileError)) throw error;
    return { job: parseJob(benchJobYaml({ ...spec, transformers: REALISTIC_BUILTINS }), `${spec.name}.yaml`), js: { rejected: error.message } };
  }
}

export function passthroughJob(spec: Omit<BenchJobSpec, 'transformers'>): Job {
  return parseJob(benchJobYaml(spec), `${spec.name}.yaml`);
}
