import { describe, expect, it } from 'vitest';
import { createDynamoClient, createStreamsClient } from './clients.ts';

describe('createDynamoClient', () => {
  // The SDK's logger middleware deep-copies every request and response for a no-op logger (clients.ts).
  it('leaves out the SDK logger middleware, and keeps the rest of the stack', () => {
    const plain = createDynamoClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
    const streams = createStreamsClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
    for (const client of [plain, streams]) {
      const names = client.middlewareStack.identify();
      expect(names.some((name) => name.startsWith('loggerMiddleware'))).toBe(false);
      expect(names.some((name) => name.startsWith('retryMiddleware'))).toBe(true);
      client.destroy();
    }
  });
});
