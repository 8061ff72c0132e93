// The workflow bundle's entry point: every workflow the worker serves.
export { copyTable } from './copy-table.ts';
export { jobLock } from './job-lock.ts';
export { refreshJob } from './refresh-job.ts';
export { runTables } from './run-tables.ts';
export { streamCheckpoint } from './stream-checkpoint.ts';
