import { defineConfig } from 'vitest/config';

/**
 * Test files in flight at once, both projects together (Vitest needs one
 * value for projects that run side by side). Vitest's default, one less than
 * the cores, is a single file on a 2-core machine, yet an end-to-end file
 * spends most of its time waiting (on Temporal's timers and heartbeat
 * timeouts, the SDK's backoff, DynamoDB Local), so unit files and other
 * end-to-end files run in that time.
 */
const FILES_AT_ONCE = 4;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'model/**/*.test.ts', 'test/job/**/*.test.ts', 'transformers/**/*.test.ts', 'src/**/*.test.ts'],
          maxWorkers: FILES_AT_ONCE,
          // Unit files share their worker processes: a fresh process per file spent more time importing
          // (faker, zod, the SDKs) than testing. A unit test that mocks a module or stubs a global restores it.
          isolate: false,
          // Vitest's 5 s default asserts speed on a shared 2-core machine; a unit test that hangs still fails.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          maxWorkers: FILES_AT_ONCE,
          // One DynamoDB Local and one Temporal dev server for all end-to-end files.
          globalSetup: ['test/support/global-setup.ts'],
          // The first run on a machine may build the Temporal CLI with Go (minutes).
          hookTimeout: 15 * 60_000,
          testTimeout: 180_000,
          // faults.test.ts runs its twelve cases side by side: mostly the SDK's backoff, waited out together.
          maxConcurrency: 12,
        },
      },
    ],
  },
});
