/**
 * Messages between a worker and its sandbox process (sandbox-pool.ts and
 * sandbox-process.ts), sent with Node's "advanced" IPC serialization.
 *
 * A page and its results cross as JSON text (binary values as base64, see
 * value-bridge.ts): a string goes through the pipe and into the isolate as
 * one copy, and JSON.parse is V8's fastest way to build the objects again,
 * where structured cloning would serialize the page four times on its way.
 * What the text holds is laid out for JSON.parse too: flat arrays of strings,
 * few objects (WirePage, WireResult). The entries, three numbers per value,
 * cross beside it as an Int32Array: the pipe and the isolate take its bytes
 * as they are, where in the text they were half of what the isolate parsed.
 */
import type { PathSegment } from '../../model/path.ts';
import type { SandboxHelpers } from './sandbox-helpers.ts';
import type { ScriptFailure } from './script-errors.ts';
import type { ScriptKind } from './script-ref.ts';

export interface PreparedScript {
  readonly kind: ScriptKind;
  readonly code: string;
  /** The function source the isolate compiles (script-source.ts). */
  readonly wrapped: string;
  readonly linesBefore: number;
  /** Whether the code may read `item`; a page carries items only for scripts that may. */
  readonly needsItem: boolean;
}

/** Everything a sandbox needs to run a plan's scripts; sent once per sandbox process. */
export interface SandboxDefinition {
  readonly memoryLimitMb: number;
  readonly timeoutMs: number;
  /** Seeds random() and the helpers, like the built-ins in YAML. */
  readonly salt: string;
  /** The `dynamask.<name>` helpers: the transformers of the plan's registry (sandbox-helpers.ts). */
  readonly helpers: SandboxHelpers;
  readonly keyAttributes: readonly string[];
  readonly scripts: readonly PreparedScript[];
  /** Show every message a script throws (preview), not only those safe to show. */
  readonly revealMessages: boolean;
}

/**
 * A value as it crosses: a string stands for `{ S }` (most values are
 * strings, and JSON.parse makes a string far faster than an object); any
 * other value is its AttributeValue in wire form (binary as base64).
 */
export type WireValue = string | Record<string, unknown>;

/**
 * A result as it crosses: a WireValue, or `{ drop: true }` when the script
 * removed the value. Unchecked: value-bridge.ts checks it.
 */
export type WireResult = WireValue | { drop: true };

/**
 * A page as it crosses (its JSON text), in columns rather than an object per
 * value: parsing a nested array and an AttributeValue per value cost ~8× as
 * much as a string in the array of values.
 */
export interface WirePage {
  /** Items in wire form (binary as base64): only those a script may read, and generators' (which seed random() from the key). */
  readonly items: readonly unknown[];
  /** The page's distinct paths; entries refer to them by index. */
  readonly paths: readonly (readonly PathSegment[])[];
  /** One per entry: the input of a `js` script; null for a generator. */
  readonly values: readonly (WireValue | null)[];
}

/**
 * Numbers per entry in a page's entries (an Int32Array beside its JSON):
 * the script, an index into items (-1 when the script needs no item), an
 * index into paths.
 */
export const ENTRY_WIDTH = 3;

export type ParentMessage =
  /** `page` is the JSON of a WirePage with `size` entries, and `entries` their ENTRY_WIDTH numbers each. */
  | { type: 'run'; id: number; sandbox: number; define?: SandboxDefinition; page: string; entries: Int32Array; size: number }
  | { type: 'dispose'; sandbox: number };

export type ChildMessage =
  | { type: 'ready' }
  /**
   * Where the sandbox is, should it stop answering (and a new start of the
   * worker's clock): sent before starting an isolate (no entry: at no value
   * yet) and before each call into the isolate but a page's first. That one
   * the worker assumes from its request (a page starts at entry 0), as each
   * message costs both processes a wake-up (~50 µs on a small VM).
   */
  | { type: 'at'; id: number; entry?: number }
  /**
   * The results, one per entry in order, as JSON arrays (one per call into
   * the isolate) of WireResults; unchecked (value-bridge.ts checks them).
   */
  | { type: 'done'; id: number; results: string[] }
  | { type: 'failed'; id: number; failure: ScriptFailure }
  /** Something went wrong that is not the script's doing. */
  | { type: 'error'; id: number; message: string };
