import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKER_SETTINGS, SETTINGS, workerSettingsFromEnv, WorkerSettingsError } from '../../src/worker/worker-settings.ts';

describe('worker settings from DYNAMASK_* variables', () => {
  it('are the defaults when unset or empty', () => {
    expect(workerSettingsFromEnv({})).toEqual({ maxConcurrentActivities: 16, maxConcurrentWorkflowTasks: 40, workflowThreads: 0, sandboxProcesses: 1, writeConcurrency: 8, heapGrowingPercent: 20 });
    expect(workerSettingsFromEnv({ DYNAMASK_SANDBOX_PROCESSES: '  ' })).toEqual(DEFAULT_WORKER_SETTINGS);
  });

  it('take whole numbers in range, around spaces', () => {
    const env = {
      DYNAMASK_MAX_CONCURRENT_ACTIVITIES: '64',
      DYNAMASK_MAX_CONCURRENT_WORKFLOW_TASKS: '2',
      DYNAMASK_WORKFLOW_THREADS: '2',
      DYNAMASK_SANDBOX_PROCESSES: ' 3 ',
      DYNAMASK_WRITE_CONCURRENCY: '256',
      DYNAMASK_HEAP_GROWING_PERCENT: '0',
    };
    expect(workerSettingsFromEnv(env)).toEqual({ maxConcurrentActivities: 64, maxConcurrentWorkflowTasks: 2, workflowThreads: 2, sandboxProcesses: 3, writeConcurrency: 256, heapGrowingPercent: 0 });
  });

  it('refuse anything else, naming every bad variable in one message', () => {
    const env = {
      DYNAMASK_MAX_CONCURRENT_ACTIVITIES: '0',
      DYNAMASK_MAX_CONCURRENT_WORKFLOW_TASKS: '1',
      DYNAMASK_WORKFLOW_THREADS: '17',
      DYNAMASK_SANDBOX_PROCESSES: '2.5',
      DYNAMASK_WRITE_CONCURRENCY: 'lots and lots and lots of them',
      DYNAMASK_HEAP_GROWING_PERCENT: '301',
    };
    expect(() => workerSettingsFromEnv(env)).toThrow(WorkerSettingsError);
    expect(() => workerSettingsFromEnv(env)).toThrow(
      [
        'DYNAMASK_MAX_CONCURRENT_ACTIVITIES must be a whole number from 1 to 1000, not "0"',
        'DYNAMASK_MAX_CONCURRENT_WORKFLOW_TASKS must be a whole number from 2 to 1000, not "1"',
        'DYNAMASK_WORKFLOW_THREADS must be a whole number from 0 to 16, not "17"',
        'DYNAMASK_SANDBOX_PROCESSES must be a whole number from 1 to 64, not "2.5"',
        'DYNAMASK_WRITE_CONCURRENCY must be a whole number from 1 to 256, not "lots and lots and lo…"',
        'DYNAMASK_HEAP_GROWING_PERCENT must be a whole number from 0 to 300, not "301"',
      ].join('; '),
    );
    expect(() => workerSettingsFromEnv({ DYNAMASK_WRITE_CONCURRENCY: '-3' })).toThrow('not "-3"');
    expect(() => workerSettingsFromEnv({ DYNAMASK_WRITE_CONCURRENCY: '1e3' })).toThrow('not "1e3"');
  });

  it('each have a reason for their default, which the README repeats', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    for (const setting of SETTINGS) {
      expect(setting.why.length).toBeGreaterThan(40);
      expect(readme, setting.env).toContain(`\`${setting.env}\` (default ${setting.defaultValue})`);
    }
  });
});

describe('dynamask worker with a bad setting', () => {
  it('exits 2 (bad input) naming the variable, before it connects anywhere', async () => {
    const { spawnSync } = await import('node:child_process');
    const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;
    // An address nothing listens on: were the setting not checked first, the worker would fail to connect instead.
    const env = { ...process.env, DYNAMASK_HEAP_GROWING_PERCENT: 'lots', TEMPORAL_ADDRESS: '127.0.0.1:9' };
    const result = spawnSync(process.execPath, [cli, 'worker'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toContain('dynamask: DYNAMASK_HEAP_GROWING_PERCENT must be a whole number from 0 to 300, not "lots"');
    expect(result.status).toBe(2);
  });
});
