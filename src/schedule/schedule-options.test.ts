import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OVERLAP_POLICIES } from '../job/job-schema.ts';
import { JobFileError, parseJob } from '../job/job-loader.ts';
import { resolveJobName } from './job-files.ts';
import { canonicalJson, DIGEST_MEMO, scheduleFromJob, SPEC_MEMO, timezoneProblem } from './schedule-options.ts';
import { checkLocalEndpoint } from '../cli/seed-command.ts';

function job(schedule: string, name = 'nightly') {
  return parseJob(
    `
name: ${name}
connections: { prod: { region: us-east-1 }, staging: { region: us-east-1, endpoint: "http://localhost:8001" } }
source: prod
destination: staging
tables:
  - source: Users
    destination: UsersStaging
schedule:
${schedule.replace(/^/gm, '  ')}
`,
    'job.yaml',
  );
}

describe('scheduleFromJob', () => {
  it('maps cron, time zone, jitter, overlap and paused to a schedule that starts refreshJob with the whole job', () => {
    const nightly = job('cron: ["0 3 * * *", "0 15 * * 1-5"]\ntimezone: Europe/Berlin\njitter: 5m\noverlap: cancelOther\npaused: true');
    const { scheduleId, options, digest, specText } = scheduleFromJob(nightly, { taskQueue: 'tq' });
    expect(scheduleId).toBe('dynamask/nightly');
    expect(options.spec).toEqual({ cronExpressions: ['0 3 * * *', '0 15 * * 1-5'], timezone: 'Europe/Berlin', jitter: '5m' });
    expect(options.policies).toEqual({ overlap: 'CANCEL_OTHER' });
    expect(options.state).toEqual({ paused: true, note: 'paused in the job file' });
    expect(options.action).toMatchObject({ type: 'startWorkflow', workflowType: 'refreshJob', args: [{ job: nightly }], taskQueue: 'tq', workflowId: 'dynamask/nightly' });
    expect(options.action.memo).toEqual({ [DIGEST_MEMO]: digest, [SPEC_MEMO]: specText });
    expect(specText).toBe('cron "0 3 * * *" + cron "0 15 * * 1-5" Europe/Berlin, jitter 5m, overlap cancelOther');
  });

  it('maps an interval, and every overlap policy to its Temporal name', () => {
    expect(scheduleFromJob(job('every: 6h')).options.spec).toEqual({ intervals: [{ every: '6h' }] });
    const names = OVERLAP_POLICIES.map((overlap) => scheduleFromJob(job(`every: 6h\noverlap: ${overlap}`)).options.policies?.overlap);
    expect(names).toEqual(['SKIP', 'BUFFER_ONE', 'BUFFER_ALL', 'CANCEL_OTHER', 'TERMINATE_OTHER', 'ALLOW_ALL']);
  });

  it('gives equal digests for equal jobs only', () => {
    const digest = (schedule: string, taskQueue = 'tq') => scheduleFromJob(job(schedule), { taskQueue }).digest;
    expect(digest('cron: "0 3 * * *"')).toBe(digest('cron: "0 3 * * *"'));
    expect(digest('cron: "0 3 * * *"')).not.toBe(digest('cron: "0 4 * * *"'));
    expect(digest('cron: "0 3 * * *"')).not.toBe(digest('cron: "0 3 * * *"\npaused: true'));
    expect(digest('cron: "0 3 * * *"')).not.toBe(digest('cron: "0 3 * * *"', 'other-queue'));
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: [{ e: 2, f: 1 }] }, b: 1 }));
  });
});

describe('schedule input checks', () => {
  it('knows IANA time zones', () => {
    expect(timezoneProblem('Europe/Berlin')).toBeUndefined();
    expect(timezoneProblem('UTC')).toBeUndefined();
    expect(timezoneProblem('Europe/Atlantis')).toBe('unknown time zone "Europe/Atlantis"; expected an IANA name such as UTC or Europe/Berlin');
  });

  it('reads a <job> argument as a job file (its name only) or a job name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dynamask-job-ref-'));
    const file = join(dir, 'job.yaml');
    // An unset variable elsewhere in the file does not matter: only the name is read.
    await writeFile(file, 'name: from-file\nsalt: ${UNSET_FOR_THIS_TEST}\n');
    expect(await resolveJobName(file)).toBe('from-file');
    expect(await resolveJobName('nightly-staging')).toBe('nightly-staging');
    await expect(resolveJobName(join(dir, 'missing.yaml'))).rejects.toThrow(`${join(dir, 'missing.yaml')}: cannot read the job file: no such file`);
    await expect(resolveJobName('two words')).rejects.toBeInstanceOf(JobFileError);
    await writeFile(file, 'tables: []\n');
    await expect(resolveJobName(file)).rejects.toThrow(`${file} name: expected a job name`);
  });

  it('seeds only DynamoDB Local, never an AWS endpoint', () => {
    expect(() => checkLocalEndpoint('http://dynamodb-prod:8000')).not.toThrow();
    expect(() => checkLocalEndpoint('https://dynamodb.eu-west-1.amazonaws.com')).toThrow(/is an AWS endpoint/);
    expect(() => checkLocalEndpoint('localhost:8000')).toThrow(/expected an http/);
  });
});
