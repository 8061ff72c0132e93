import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReadTablePage } from '../dynamo/table-reader.ts';
import { PageHandoff } from './page-handoff.ts';

const page = (n: number): ReadTablePage => ({ items: Array.from({ length: n }, (_, i) => ({ id: { N: String(i) } })) }) as ReadTablePage;
const key = { workflowId: 'copy-Movies', segment: 2, cursor: 'sealed-1' };

describe('PageHandoff', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives the offered page to the call with the same run, segment and cursor, once', async () => {
    const handoff = new PageHandoff();
    handoff.offer(key, Promise.resolve(page(3)));
    expect(await handoff.take({ ...key, segment: 1 })).toBeUndefined();
    expect(await handoff.take({ ...key, cursor: 'sealed-2' })).toBeUndefined();
    expect(await handoff.take({ ...key, workflowId: 'copy-Other' })).toBeUndefined();
    expect((await handoff.take(key))?.items).toHaveLength(3);
    expect(await handoff.take(key)).toBeUndefined();
    expect(handoff.size).toBe(0);
  });

  it('takes a page whose read failed as a miss, and never lets the failure go unhandled', async () => {
    const handoff = new PageHandoff();
    handoff.offer(key, Promise.reject(new Error('throttled')));
    expect(await handoff.take(key)).toBeUndefined();
  });

  it('drops a page nobody takes within its time', async () => {
    vi.useFakeTimers();
    const handoff = new PageHandoff(1_000);
    handoff.offer(key, Promise.resolve(page(1)));
    vi.advanceTimersByTime(999);
    expect(handoff.size).toBe(1);
    vi.advanceTimersByTime(1);
    expect(handoff.size).toBe(0);
    expect(await handoff.take(key)).toBeUndefined();
  });

  it('keeps the later of two pages offered for one key', async () => {
    const handoff = new PageHandoff();
    handoff.offer(key, Promise.resolve(page(1)));
    handoff.offer(key, Promise.resolve(page(2)));
    expect(handoff.size).toBe(1);
    expect((await handoff.take(key))?.items).toHaveLength(2);
  });
});
