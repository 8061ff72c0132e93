/**
 * The sandbox process: a child of the worker that holds the isolates
 * (isolated-vm) in which job scripts run, one isolate per plan.
 *
 * Why a process of its own: isolated-vm stops most runaway scripts cleanly
 * (a timeout, or a memory-limit breach that disposes the isolate), but some
 * allocations cannot be interrupted and make V8 abort the whole process
 * (`new Array(1e9).fill(0)`, or a Map grown without bound, measured on
 * Node 24 / isolated-vm 7). Here that kills only this process; the worker
 * restarts it and keeps serving.
 *
 * Requests are handled one at a time, synchronously: calls into an isolate
 * from this thread cost ~0.3 µs a value and a helper call back ~2.4 µs,
 * against ~0.6 µs and ~12 µs asynchronously.
 *
 * The time limit (sandbox.timeoutMs) is per value, on CPU time, while a
 * page's values run in few calls. The isolate hands control back after
 * timeoutMs of work, so one call is bounded by twice the limit (isolated-vm
 * stops it then, by the wall clock). A value that took longer than the limit
 * by the wall clock fails only when the isolate's CPU time proves it (time
 * spent in helpers, in the host, does not count); a call stopped by the wall
 * clock while it used little CPU (a busy machine) is tried again with more
 * time. What no timeout can stop, the worker stops by killing this process.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import ivm from 'isolated-vm';
import { DROP, type ValueFunction } from '../definition.ts';
import { formatPath, type Path, type PathSegment } from '../../model/path.ts';
import { renderOptionIssues } from '../registry.ts';
import { CompileCache } from './compile-cache.ts';
import { sandboxRegistry } from './sandbox-helpers.ts';
import { ENTRY_WIDTH, type ChildMessage, type ParentMessage, type SandboxDefinition, type WirePage, type WireValue } from './sandbox-protocol.ts';
import { describeShape, helperProblemMessage, locateInStack, safeErrorName, safeMessage, SHAPES, type ScriptFailure } from './script-errors.ts';
import { canonicalText, fromWire, fromWireValue, ReturnShapeError, toAttributeValue, toWire } from './value-bridge.ts';

const RUNTIME_SOURCE = readFileSync(new URL('./isolate-runtime.js', import.meta.url), 'utf8');
const compileCache = new CompileCache();

/** What the isolate reports when a value fails (isolate-runtime.js); untrusted. */
interface RawFailure {
  entry?: unknown;
  kind?: unknown;
  ref?: unknown;
  shape?: unknown;
  ms?: unknown;
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  isError?: unknown;
}

interface Chunk {
  /** JSON of the results of this call. */
  results?: string;
  next?: number;
  failure?: RawFailure;
  /** A value that took more than the limit by the wall clock; `before`: ms of the call before it began. */
  slow?: { entry: number; ms: number; before: number };
}

/** Calls into an isolate that ran out of time while it had used little CPU (a busy machine) are tried again, this many times. */
const RETRIES = 4;

type Outcome = { results: string[] } | { failure: ScriptFailure };

/** The page being run: its JSON, parsed only when something needs an entry (a seed, a failure), and its entries. */
interface CurrentPage {
  readonly json: string;
  readonly entries: Int32Array;
  readonly size: number;
  parsed?: WirePage;
}

class Sandbox {
  readonly #definition: SandboxDefinition;
  /** Helpers the sandbox runs, and transformers of the plan's registry it cannot (sandbox-helpers.ts). */
  readonly #helperNames: ReadonlySet<string>;
  readonly #unavailable: ReadonlySet<string>;
  /** [entry being run, ms of the current call before it began], written by the isolate. */
  readonly #progress = new Int32Array(new SharedArrayBuffer(8));
  #isolate: ivm.Isolate | undefined;
  #run: ivm.Reference | undefined;
  readonly #helpers = new Map<string, ValueFunction>();
  /** Messages of helper problems of the current page; the isolate refers to them by index. */
  #problems: string[] = [];
  #page: CurrentPage | undefined;

  constructor(definition: SandboxDefinition) {
    this.#definition = definition;
    this.#helperNames = new Set(definition.helpers.names);
    this.#unavailable = new Set(definition.helpers.unavailable);
  }

  #start(): void {
    const definition = this.#definition;
    const isolate = new ivm.Isolate({ memoryLimit: definition.memoryLimitMb });
    this.#isolate = isolate;
    const context = isolate.createContextSync();
    const install = compileCache.compile(isolate, RUNTIME_SOURCE, { filename: 'dynamask-runtime' }).runSync(context, { reference: true }) as ivm.Reference;
    const api = install.applySync(
      undefined,
      [
        new ivm.Callback(this.#callHelper),
        new ivm.Callback(this.#reportProblem),
        new ivm.Callback(this.#seedFor),
        new ivm.ExternalCopy(this.#progress.buffer).copyInto(),
        // Unavailable ones too, so that calling one reaches #helper and its message.
        new ivm.ExternalCopy([...definition.helpers.names, ...definition.helpers.unavailable]).copyInto(),
      ],
      { result: { reference: true } },
    ) as ivm.Reference;
    const register = api.getSync('register', { reference: true }) as ivm.Reference;
    this.#run = api.getSync('run', { reference: true }) as ivm.Reference;
    definition.scripts.forEach((script, index) => {
      const compiled = compileCache.compile(isolate, script.wrapped, { filename: `script-${index}`, lineOffset: -script.linesBefore });
      const fn = compiled.runSync(context, { reference: true }) as ivm.Reference;
      register.applySync(undefined, [index, fn.derefInto(), script.kind, script.needsItem]);
    });
  }

  /** Entry `index` of the current page (an index checked against its size). */
  #entry(index: number): { script: number; item: unknown; path: readonly PathSegment[]; value: WireValue | null } {
    const page = this.#page!;
    const parsed = (page.parsed ??= JSON.parse(page.json) as WirePage);
    const { entries } = page;
    const at = index * ENTRY_WIDTH;
    const item = entries[at + 1]!;
    return { script: entries[at]!, item: item < 0 ? undefined : parsed.items[item], path: parsed.paths[entries[at + 2]!]!, value: parsed.values[index]! };
  }

  /** Runs every entry of a page, or stops at the first that fails. */
  runPage(id: number, json: string, entries: Int32Array, size: number, send: (message: ChildMessage) => void): Outcome {
    const fresh = this.#isolate === undefined || this.#isolate.isDisposed;
    if (fresh) {
      // At no value yet, and the start takes time of its own.
      send({ type: 'at', id });
      this.#start();
    }
    const limit = this.#definition.timeoutMs;
    if (entries.length !== size * ENTRY_WIDTH) throw new Error(`a page of ${size} values came with ${entries.length} entry numbers`);
    this.#page = { json, entries, size };
    this.#problems = [];
    this.#progress[0] = 0;
    const results: string[] = [];
    try {
      let next = 0;
      let retries = 0;
      while (next < size) {
        // The worker assumes the first call of a page from its request, unless an isolate started since.
        if (next > 0 || retries > 0 || fresh) send({ type: 'at', id, entry: next });
        const isolate = this.#isolate!;
        const cpuBefore = isolate.cpuTime;
        let chunk: Chunk;
        try {
          // The isolate hands back control after `limit` ms of work, and one
          // value may take `limit` ms: so a call needs twice that, and more
          // when it is tried again on a busy machine, within the silence the
          // worker allows (2 × limit + a grace of at least 1 s).
          const timeout = Math.min((2 * limit + 50) * 2 ** retries, 2 * limit + 500);
          // The first call brings the page (and parses it again when tried again); the entries' bytes are copied in as they are.
          const args = next === 0 ? [next, limit, limit, json, new ivm.ExternalCopy(entries).copyInto({ release: true })] : [next, limit, limit];
          chunk = this.#run!.applySync(undefined, args, { timeout, result: { copy: true } }) as Chunk;
        } catch (error) {
          // isolated-vm times a call by the wall clock; the limit is on CPU time.
          const cpuMs = isolate.isDisposed ? 0 : Number(isolate.cpuTime - cpuBefore) / 1e6;
          if (isTimeout(error) && cpuMs - this.#progress[1]! <= limit && retries < RETRIES) {
            retries++;
            continue;
          }
          return { failure: this.#interrupted(error) };
        }
        retries = 0;
        if (chunk.failure !== undefined) return { failure: this.#failure(chunk.failure) };
        if (chunk.slow !== undefined) {
          // What the call used beyond the values before the slow one is a lower bound on that value's CPU time.
          const atLeast = Number(isolate.cpuTime - cpuBefore) / 1e6 - chunk.slow.before;
          if (atLeast > limit) return { failure: { kind: 'slow', entry: chunk.slow.entry, ms: Math.round(atLeast) } };
        }
        results.push(chunk.results!);
        next = chunk.next ?? size;
      }
      return { results };
    } finally {
      this.#page = undefined;
    }
  }

  /** A call that did not return: the time limit, or the memory limit (which disposes the isolate). */
  #interrupted(error: unknown): ScriptFailure {
    const entry = this.#progress[0]!;
    const memory = this.#isolate!.isDisposed;
    const timedOut = isTimeout(error);
    // A fresh isolate for the next page: nothing the script left half done survives.
    this.dispose();
    if (memory) return { kind: 'memory', entry };
    if (timedOut) return { kind: 'timeout', entry };
    throw error;
  }

  #failure(raw: RawFailure): ScriptFailure {
    const entry = typeof raw.entry === 'number' && Number.isInteger(raw.entry) && raw.entry >= 0 && raw.entry < this.#page!.size ? raw.entry : this.#progress[0]!;
    switch (raw.kind) {
      case 'helper':
        return { kind: 'helper', entry, message: (typeof raw.ref === 'number' ? this.#problems[raw.ref] : undefined) ?? 'a dynamask helper failed' };
      case 'shape':
        return { kind: 'shape', entry, shape: typeof raw.shape === 'string' && raw.shape in SHAPES ? raw.shape : 'invalid' };
      default: {
        const index = this.#entry(entry).script;
        const { code } = this.#definition.scripts[index]!;
        const failure: Extract<ScriptFailure, { kind: 'threw' }> = { kind: 'threw', entry, errorName: safeErrorName(typeof raw.name === 'string' ? raw.name : undefined, raw.isError === true, code) };
        const where = locateInStack(typeof raw.stack === 'string' ? raw.stack : undefined, index);
        if (where !== undefined) Object.assign(failure, where);
        const message = typeof raw.message === 'string' ? safeMessage(raw.message, code, this.#definition.revealMessages) : undefined;
        if (message !== undefined) failure.message = message;
        return failure;
      }
    }
  }

  #problem(message: string): number {
    this.#problems.push(message);
    return this.#problems.length - 1;
  }

  /**
   * `dynamask.<name>(value, options)`: the built-in with the job's salt, as
   * a YAML mapping would run it. Arguments and answer are JSON text (the
   * value in wire form), which crosses from the isolate faster than objects.
   */
  readonly #callHelper = (name: string, valueJson: string, optionsJson: string, pathJson: string): string => {
    const path = JSON.parse(pathJson) as Path;
    try {
      const fn = this.#helper(name, optionsJson);
      const value = toAttributeValue(JSON.parse(valueJson), true);
      if (value === DROP) return JSON.stringify({ error: this.#problem(`dynamask.${name}: its first argument is ${describeShape('drop')}`) });
      const out = fn(value, path);
      return JSON.stringify(out === DROP ? { drop: true } : { value: toWire(out) });
    } catch (error) {
      if (error instanceof ReturnShapeError) return JSON.stringify({ error: this.#problem(`dynamask.${name}: its first argument is ${describeShape(error.shape)}`) });
      const text = error instanceof Error ? error.message : String(error);
      // Built-in errors start with the path, which the final message names already.
      const where = formatPath(path);
      const message = where !== '' && text.startsWith(`${where}: `) ? text.slice(where.length + 2) : text;
      return JSON.stringify({ error: this.#problem(message.startsWith('dynamask.') ? message : `dynamask.${name}: ${message}`) });
    }
  };

  #helper(name: string, optionsJson: string): ValueFunction {
    const key = `${name}\u0000${optionsJson}`;
    let fn = this.#helpers.get(key);
    if (fn !== undefined) return fn;
    if (this.#unavailable.has(name)) {
      throw new Error(`dynamask.${name} cannot be called from a script: the sandbox runs only built-in transformers, and this "${name}" is not one`);
    }
    if (!this.#helperNames.has(name)) throw new Error(`dynamask.${name} is not a helper`);
    const checked = sandboxRegistry.validateOptions(name, JSON.parse(optionsJson), ` of dynamask.${name}`);
    if (!checked.ok) throw new Error(`dynamask.${name}: ${renderOptionIssues(checked.issues)}`);
    fn = sandboxRegistry.instantiate({ type: name, options: checked.options }, { salt: this.#definition.salt });
    if (this.#helpers.size >= 1_000) this.#helpers.clear();
    this.#helpers.set(key, fn);
    return fn;
  }

  readonly #reportProblem = (kind: string, name: string, detail: string, script: number): number => {
    return this.#problem(helperProblemMessage(kind, name, detail, this.#definition.scripts[script]?.code ?? '', this.#definition.helpers.names));
  };

  /**
   * The seed of random() for one value: HMAC-SHA-256 keyed by the salt, of
   * the script and its input (the value for `js`; the item's key and the
   * path for `jsGenerate`), so equal inputs draw equal numbers in every run.
   */
  readonly #seedFor = (entry: number): number[] => {
    const { script: index, item, path, value } = this.#entry(entry);
    const script = this.#definition.scripts[index]!;
    const hmac = createHmac('sha256', this.#definition.salt).update(JSON.stringify(['js', script.kind, script.code]));
    if (value !== null) hmac.update(canonicalText(fromWireValue(value)));
    else {
      const source = (fromWire({ M: item ?? {} }).M ?? {}) as Record<string, AttributeValue>;
      const keys = this.#definition.keyAttributes;
      const identity = keys.length > 0 ? keys.map((name) => (source[name] ? canonicalText(source[name]) : null)) : canonicalText({ M: source });
      hmac.update(JSON.stringify([identity, formatPath(path)]));
    }
    const digest = hmac.digest();
    return [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)];
  };

  dispose(): void {
    const isolate = this.#isolate;
    this.#isolate = undefined;
    this.#run = undefined;
    if (isolate !== undefined && !isolate.isDisposed) isolate.dispose();
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && /timed out/i.test(error.message);
}

const sandboxes = new Map<number, Sandbox>();

function send(message: ChildMessage): void {
  process.send!(message);
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'dispose') {
    sandboxes.get(message.sandbox)?.dispose();
    sandboxes.delete(message.sandbox);
    return;
  }
  const { id } = message;
  try {
    let sandbox = sandboxes.get(message.sandbox);
    if (sandbox === undefined) {
      if (message.define === undefined) throw new Error(`sandbox ${message.sandbox} is not defined in this process`);
      sandbox = new Sandbox(message.define);
      sandboxes.set(message.sandbox, sandbox);
    }
    const outcome = sandbox.runPage(id, message.page, message.entries, message.size, send);
    send('failure' in outcome ? { type: 'failed', id, failure: outcome.failure } : { type: 'done', id, results: outcome.results });
  } catch (error) {
    send({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
  }
});

// The worker went away: nothing is left to serve.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
