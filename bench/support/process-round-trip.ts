/**
 * The least a page crossing into a process of its own can cost: a message
 * carrying `page` (the fields of a sandbox request) to a child Node process and back, over the same IPC
 * channel and serialization the sandbox pool uses, with nothing done in the
 * child. Sets the floor under the JavaScript transform's per-page cost.
 */
import { spawn } from 'node:child_process';
import { median } from './median.ts';

const ECHO = "process.on('message', (message) => process.send(message));";

/** Median µs per round trip over `rounds` rounds of `trips` trips each, after a warm-up. */
export async function processRoundTripMicroseconds(page: Record<string, unknown>, trips = 5_000, rounds = 5): Promise<number> {
  const child = spawn(process.execPath, ['-e', ECHO], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  try {
    let answer: (() => void) | undefined;
    child.on('message', () => answer?.());
    const trip = () =>
      new Promise<void>((resolve) => {
        answer = resolve;
        child.send({ type: 'run', ...page });
      });
    for (let i = 0; i < 500; i++) await trip();
    const perRound: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < trips; i++) await trip();
      perRound.push(Number(process.hrtime.bigint() - start) / 1e3 / trips);
    }
    return median(perRound);
  } finally {
    child.kill();
  }
}
