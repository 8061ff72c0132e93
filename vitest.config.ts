import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'model/**/*.test.ts', 'test/job/**/*.test.ts', 'transformers/**/*.test.ts', 'src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // One DynamoDB Local and one Temporal dev server for all end-to-end files.
          globalSetup: ['test/support/global-setup.ts'],
          // The first run on a machine may build the Temporal CLI with Go (minutes).
          hookTimeout: 15 * 60_000,
          testTimeout: 180_000,
        },
      },
    ],
  },
});
