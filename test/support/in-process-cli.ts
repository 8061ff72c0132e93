/**
 * `dynamask <args>` run in the test's own process (the CLI's main, a worker
 * in this process when the command starts one), with everything it prints
 * captured: what a user would read in the terminal, in order.
 */
import { Runtime } from '@temporalio/worker';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

export interface CliOutcome {
  code: number;
  output: string;
  seconds: number;
}

export async function dynamaskInProcess(args: string[]): Promise<CliOutcome> {
  const chunks: string[] = [];
  const collect = (...parts: unknown[]) => {
    chunks.push(parts.map((part) => (typeof part === 'string' ? part : part instanceof Uint8Array ? Buffer.from(part).toString() : String(part))).join(' '));
    return true;
  };
  const spies = [
    vi.spyOn(console, 'log').mockImplementation((...parts) => void collect(...parts, '\n')),
    vi.spyOn(console, 'error').mockImplementation((...parts) => void collect(...parts, '\n')),
    vi.spyOn(console, 'warn').mockImplementation((...parts) => void collect(...parts, '\n')),
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => collect(chunk)),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => collect(chunk)),
  ];
  const started = performance.now();
  try {
    const code = await main(['node', 'dynamask', ...args]);
    const seconds = (performance.now() - started) / 1000;
    // The worker logged what it had to say about this run before the run ended, but the runtime
    // holds log lines ~100 ms to put them in order: flush them into the captured output now.
    Runtime.instance().flushLogs();
    return { code, output: chunks.join(''), seconds };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
