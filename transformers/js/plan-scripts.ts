/**
 * The JavaScript mappings of one plan, and how a page of items crosses into
 * their sandbox once.
 *
 * While the plan walks a page, every value a script must compute gets a
 * placeholder in the output item and an entry in the page; `run` sends all
 * entries in one request, checks every result (value-bridge.ts) and fills the
 * placeholders in place. A script failure becomes a ScriptError naming the
 * path, the item's key attribute names (and values, when the job says keys
 * are not sensitive), the mapping and what went wrong.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import type { SandboxLimits } from '../../model/job.ts';
import { DROP } from '../definition.ts';
import { formatPathForMessage, type Path, type PathSegment } from '../../model/path.ts';
import type { TransformerRegistry } from '../registry.ts';
import { sandboxHelpers } from './sandbox-helpers.ts';
import { SandboxUnavailableError, sharedSandboxPool, type SandboxHandle, type SandboxPool, type WirePageText } from './sandbox-pool.ts';
import { ENTRY_WIDTH, type PreparedScript } from './sandbox-protocol.ts';
import { describeFailure, describeValuePlace, type ScriptFailure } from './script-errors.ts';
import type { ScriptRef } from './script-ref.ts';
import { prepareScript } from './script-source.ts';
import { itemToWire, resultFromWire, ReturnShapeError, toWireValue } from './value-bridge.ts';

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = { memoryLimitMb: 64, timeoutMs: 100 };

/** A script failed on a value. The message names no item value (unless keys are not sensitive: then key values). */
export class ScriptError extends Error {
  override name = 'ScriptError';
  readonly kind: ScriptFailure['kind'];
  /** The value's path, formatted; '' when the failure could not be placed. */
  readonly path: string;

  constructor(message: string, kind: ScriptFailure['kind'], path: string) {
    super(message);
    this.kind = kind;
    this.path = path;
  }
}

export interface PlanScriptsOptions {
  /** Nested map keys the job names; other map keys in a path may be data and are masked in messages. */
  knownNames: ReadonlySet<string>;
  salt: string;
  keyAttributes: readonly string[];
  limits: SandboxLimits;
  keysAreSensitive: boolean;
  /** Show every message a script throws; for `dynamask preview`, which prints values anyway. */
  revealMessages: boolean;
  /** The registry that built the plan: its transformers are the scripts' helpers. */
  registry: TransformerRegistry;
  pool?: SandboxPool;
}

/** Code that may read `item`; other scripts' pages carry no items. */
const READS_ITEM = /\b(?:item|arguments|eval)\b/;

export class PlanScripts {
  readonly #options: PlanScriptsOptions;
  readonly #pool: SandboxPool;
  readonly #scripts: PreparedScript[] = [];
  readonly #byCode = new Map<string, number>();
  #handle: SandboxHandle | undefined;
  #running = 0;
  #disposed = false;

  constructor(options: PlanScriptsOptions) {
    this.#options = options;
    this.#pool = options.pool ?? sharedSandboxPool();
  }

  get size(): number {
    return this.#scripts.length;
  }

  /** Checks the syntax (throws ScriptSyntaxError) and returns the script's index. */
  add(ref: ScriptRef): number {
    const key = `${ref.type}\u0000${ref.options.code}`;
    const known = this.#byCode.get(key);
    if (known !== undefined) return known;
    const source = prepareScript(ref.options.code, ref.type);
    const { kind, code, wrapped, linesBefore } = source;
    this.#scripts.push({ kind, code, wrapped, linesBefore, needsItem: READS_ITEM.test(code) });
    this.#byCode.set(key, this.#scripts.length - 1);
    return this.#scripts.length - 1;
  }

  page(): ScriptPage {
    return new ScriptPage(this, this.#scripts, this.#options);
  }

  /**
   * Runs a page's work (its walk, which gives the event loop turns, and its
   * run) with the sandbox kept open: a plan disposed meanwhile (evicted from
   * the worker's plan cache) frees it once the page is done.
   */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    if (this.#disposed) throw new SandboxUnavailableError('this plan was disposed');
    this.#running++;
    try {
      return await work();
    } finally {
      this.#running--;
      if (this.#disposed && this.#running === 0) this.#release();
    }
  }

  /** @internal one request for a page; only inside `hold`, which keeps the sandbox open until the page is done. */
  async send(payload: WirePageText) {
    if (this.#running === 0) throw new Error('a script page runs inside PlanScripts.hold');
    const { salt, keyAttributes, limits, revealMessages, registry } = this.#options;
    this.#handle ??= this.#pool.open({ ...limits, salt, helpers: sandboxHelpers(registry), keyAttributes, scripts: this.#scripts, revealMessages });
    return this.#pool.run(this.#handle, payload);
  }

  /** Frees the isolate once no page is running; the plan cannot run scripts afterwards. */
  dispose(): void {
    this.#disposed = true;
    if (this.#running === 0) this.#release();
  }

  #release(): void {
    if (this.#handle !== undefined) this.#pool.release(this.#handle);
    this.#handle = undefined;
  }
}

/** A node of the tree of a page's paths, by segment: what gives each distinct path one index. */
interface PathNode {
  index: number;
  next: Map<PathSegment, PathNode> | undefined;
}

export class ScriptPage {
  readonly #owner: PlanScripts;
  readonly #scripts: readonly PreparedScript[];
  readonly #options: PlanScriptsOptions;
  /** The columns of the WirePage (sandbox-protocol.ts): entries cross as an Int32Array, the rest as JSON. */
  readonly #entries: number[] = [];
  readonly #values: unknown[] = [];
  readonly #wirePaths: Path[] = [];
  readonly #pathTree: PathNode = { index: -1, next: undefined };
  /** Per entry: the placeholder to fill, the page item it belongs to, and the mapping for messages (its path is in the entries). */
  readonly #placeholders: AttributeValue[] = [];
  readonly #pageItems: number[] = [];
  readonly #mappings: string[] = [];
  readonly #items: unknown[] = [];
  /** Page item index -> index in the request's items. */
  readonly #itemSlots = new Map<number, number>();
  /** By page item: the source item, for messages. */
  readonly #sourceItems: Item[] = [];
  readonly #dropped = new WeakSet<AttributeValue>();
  /** Page items holding a value a script removed, which need their containers pruned. */
  readonly itemsWithDrops = new Set<number>();

  constructor(owner: PlanScripts, scripts: readonly PreparedScript[], options: PlanScriptsOptions) {
    this.#owner = owner;
    this.#scripts = scripts;
    this.#options = options;
  }

  get size(): number {
    return this.#placeholders.length;
  }

  /**
   * Registers one value for script `script` and returns the placeholder to
   * put where its result goes. `value` is absent for a generator.
   */
  defer(script: number, mapping: string, pageItem: number, item: Item, path: Path, value: AttributeValue | undefined): AttributeValue {
    const { kind, needsItem } = this.#scripts[script]!;
    // Generators seed random() from the item's key, so they always carry the item.
    let slot = -1;
    if (needsItem || kind === 'jsGenerate') {
      slot = this.#itemSlots.get(pageItem) ?? -1;
      if (slot < 0) {
        slot = this.#items.push(itemToWire(item)) - 1;
        this.#itemSlots.set(pageItem, slot);
      }
    }
    this.#sourceItems[pageItem] ??= item;
    this.#entries.push(script, slot, this.#pathIndex(path));
    this.#values.push(value === undefined ? null : toWireValue(value));
    const placeholder: AttributeValue = {} as AttributeValue;
    this.#placeholders.push(placeholder);
    this.#pageItems.push(pageItem);
    this.#mappings.push(mapping);
    return placeholder;
  }

  /** The index of `path` in the page's paths, added on first use. */
  #pathIndex(path: Path): number {
    let node = this.#pathTree;
    for (const segment of path) {
      node.next ??= new Map();
      let child = node.next.get(segment);
      if (child === undefined) node.next.set(segment, (child = { index: -1, next: undefined }));
      node = child;
    }
    if (node.index < 0) node.index = this.#wirePaths.push(path) - 1;
    return node.index;
  }

  isDropped(value: AttributeValue): boolean {
    return this.#dropped.has(value);
  }

  /** Runs every entry in one crossing and fills the placeholders; throws ScriptError. */
  async run(): Promise<void> {
    const size = this.size;
    if (size === 0) return;
    const json = JSON.stringify({ items: this.#items, paths: this.#wirePaths, values: this.#values });
    const outcome = await this.#owner.send({ json, entries: new Int32Array(this.#entries), size });
    if ('failure' in outcome) throw this.#error(outcome.failure);
    const texts = outcome.results;
    const results = texts.length === 1 ? (JSON.parse(texts[0]!) as unknown[]) : texts.flatMap((text) => JSON.parse(text) as unknown[]);
    if (results.length !== size) {
      throw new SandboxUnavailableError(`the sandbox answered ${results.length} values for ${size}`);
    }
    const placeholders = this.#placeholders;
    for (let index = 0; index < size; index++) {
      const raw = results[index];
      const placeholder = placeholders[index]!;
      // A string is a string value: nothing more to check.
      if (typeof raw === 'string') {
        (placeholder as { S?: string }).S = raw;
        continue;
      }
      let value: AttributeValue | typeof DROP;
      try {
        value = resultFromWire(raw);
      } catch (error) {
        if (!(error instanceof ReturnShapeError)) throw error;
        throw this.#error({ kind: 'shape', entry: index, shape: error.shape });
      }
      if (value === DROP) {
        this.#dropped.add(placeholder);
        this.itemsWithDrops.add(this.#pageItems[index]!);
      } else {
        Object.assign(placeholder, value);
      }
    }
  }

  #error(failure: ScriptFailure): ScriptError {
    const { keyAttributes, keysAreSensitive, limits } = this.#options;
    const reason = describeFailure(failure, limits);
    const index = failure.entry;
    if (index === undefined || !(index >= 0 && index < this.size)) {
      return new ScriptError(`a page of ${this.#sourceItems.filter(Boolean).length} item(s): a script ${reason}`, failure.kind, '');
    }
    // The entry's distinct path: the same segments as the one its value was deferred at.
    const path = this.#wirePaths[this.#entries[index * ENTRY_WIDTH + 2]!]!;
    const item = this.#sourceItems[this.#pageItems[index]!];
    const place = describeValuePlace(path, item, keyAttributes, keysAreSensitive, this.#options.knownNames);
    // The process died somewhere after the start of its last call, not necessarily here.
    const hedge = failure.kind === 'crashed' || failure.kind === 'unresponsive' ? ' (or a later value of the same page)' : '';
    return new ScriptError(`${place}${hedge}: ${this.#mappings[index]} ${reason}`, failure.kind, formatPathForMessage(path, this.#options.knownNames));
  }
}
