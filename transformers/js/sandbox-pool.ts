/**
 * The worker's side of the sandbox: one child process (sandbox-process.ts),
 * started on first use and restarted whenever it dies or stops answering.
 * Plans open a sandbox each (an isolate in the child, defined on first use
 * and again after a restart) and send it one request per page.
 *
 * Requests go one at a time, which makes the one in flight the one to blame
 * when the process dies. A process that sends nothing for two time limits
 * plus a grace period is killed: isolated-vm cannot interrupt every runaway
 * (some array builtins run to the end of memory), but a process can always
 * be killed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentMessage, SandboxDefinition } from './sandbox-protocol.ts';
import type { ScriptFailure } from './script-errors.ts';

/** `results`: JSON arrays of the results in wire form, to be concatenated in order. */
export type PageOutcome = { results: string[] } | { failure: ScriptFailure };

/** A page as it crosses: the JSON of a WirePage (sandbox-protocol.ts), its entries and their number. */
export interface WirePageText {
  readonly json: string;
  readonly entries: Int32Array;
  readonly size: number;
}

/** The sandbox could not run a page, through no fault of the script (it may be retried). */
export class SandboxUnavailableError extends Error {
  override name = 'SandboxUnavailableError';
}

export interface SandboxHandle {
  readonly id: number;
  readonly definition: SandboxDefinition;
}

export interface SandboxPoolOptions {
  /** Silence beyond 2 × timeoutMs after which the process is killed; default 3 s (room for GC and isolate start-up), at least 1 s. */
  graceMs?: number;
}

interface InFlight {
  readonly id: number;
  readonly resolve: (outcome: PageOutcome) => void;
  readonly reject: (error: Error) => void;
  /** Where the last call into the isolate began; undefined while the sandbox starts an isolate. */
  entry: number | undefined;
  killed: boolean;
  rearm(): void;
}

const PROCESS_PATH = fileURLToPath(new URL('./sandbox-process.ts', import.meta.url));
const START_TIMEOUT_MS = 60_000;

export class SandboxPool {
  readonly #graceMs: number;
  #child: ChildProcess | undefined;
  #starting: Promise<ChildProcess> | undefined;
  /** Sandboxes the current process has been given the definition of. */
  readonly #defined = new Set<number>();
  #nextSandbox = 1;
  #nextRequest = 1;
  #queue: Promise<unknown> = Promise.resolve();
  #inFlight: InFlight | undefined;
  /** Processes started, for tests and the bench. */
  starts = 0;

  /** The process ID of the sandbox process while one runs, for the bench (which reads its CPU time). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  constructor(options: SandboxPoolOptions = {}) {
    this.#graceMs = Math.max(1_000, options.graceMs ?? 3_000);
  }

  open(definition: SandboxDefinition): SandboxHandle {
    return { id: this.#nextSandbox++, definition };
  }

  /** Runs one page; requests of every sandbox queue behind each other. */
  run(handle: SandboxHandle, page: WirePageText): Promise<PageOutcome> {
    const task = this.#queue.then(() => this.#request(handle, page));
    this.#queue = task.then(
      () => undefined,
      () => undefined,
    );
    return task;
  }

  /** Frees the sandbox's isolate; a later run defines it again. */
  release(handle: SandboxHandle): void {
    if (!this.#defined.delete(handle.id)) return;
    const child = this.#child;
    if (child?.connected) child.send({ type: 'dispose', sandbox: handle.id } satisfies ParentMessage);
  }

  /** Stops the process; the next run starts a new one. */
  close(): void {
    this.#child?.kill('SIGKILL');
  }

  async #request(handle: SandboxHandle, page: WirePageText): Promise<PageOutcome> {
    const child = await this.#ensureChild();
    const id = this.#nextRequest++;
    const define = this.#defined.has(handle.id) ? undefined : handle.definition;
    this.#defined.add(handle.id);
    const silenceMs = 2 * handle.definition.timeoutMs + this.#graceMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      child.ref();
      child.channel?.ref();
      return await new Promise<PageOutcome>((resolve, reject) => {
        const flight: InFlight = {
          id,
          resolve,
          reject,
          // A page starts at entry 0; the sandbox says so only when it starts elsewhere (sandbox-protocol.ts).
          entry: 0,
          killed: false,
          rearm() {
            clearTimeout(timer);
            timer = setTimeout(() => {
              flight.killed = true;
              child.kill('SIGKILL');
            }, silenceMs);
          },
        };
        this.#inFlight = flight;
        const message: ParentMessage = { type: 'run', id, sandbox: handle.id, ...(define ? { define } : {}), page: page.json, entries: page.entries, size: page.size };
        child.send(message, (error) => {
          if (error) reject(new SandboxUnavailableError(`cannot reach the sandbox process: ${error.message}`, { cause: error }));
        });
        flight.rearm();
      });
    } finally {
      clearTimeout(timer);
      this.#inFlight = undefined;
      // An idle sandbox process must not keep the worker (or a CLI command) alive.
      if (this.#child === child) {
        child.unref();
        child.channel?.unref();
      }
    }
  }

  #ensureChild(): Promise<ChildProcess> {
    if (this.#child !== undefined && this.#child.connected) return Promise.resolve(this.#child);
    this.#starting ??= this.#start().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  #start(): Promise<ChildProcess> {
    this.starts++;
    // execArgv: [] keeps the parent's loader flags (vitest's, for one) out of the child.
    const child = fork(PROCESS_PATH, [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#defined.clear();
    return new Promise<ChildProcess>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new SandboxUnavailableError(`the sandbox process did not start within ${START_TIMEOUT_MS / 1000} s`));
      }, START_TIMEOUT_MS);
      child.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          this.#child = child;
          resolve(child);
          return;
        }
        this.#deliver(message);
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new SandboxUnavailableError(`cannot start the sandbox process: ${error.message}`, { cause: error }));
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new SandboxUnavailableError(`the sandbox process exited while starting (${signal ?? `code ${code}`})`));
        if (this.#child === child) {
          this.#child = undefined;
          this.#defined.clear();
        }
        const flight = this.#inFlight;
        if (flight === undefined) return;
        const entry = flight.entry === undefined ? {} : { entry: flight.entry };
        flight.resolve({ failure: flight.killed ? { kind: 'unresponsive', ...entry } : { kind: 'crashed', ...entry } });
      });
    });
  }

  #deliver(message: ChildMessage): void {
    const flight = this.#inFlight;
    if (flight === undefined || message.type === 'ready' || message.id !== flight.id) return;
    switch (message.type) {
      case 'at':
        flight.entry = message.entry;
        flight.rearm();
        return;
      case 'done':
        flight.resolve({ results: message.results });
        return;
      case 'failed':
        flight.resolve({ failure: message.failure });
        return;
      case 'error':
        flight.reject(new SandboxUnavailableError(`the sandbox failed: ${message.message}`));
        return;
    }
  }
}

let shared: SandboxPool | undefined;

/** The process-wide pool that plans use unless given one. */
export function sharedSandboxPool(): SandboxPool {
  shared ??= new SandboxPool();
  return shared;
}
