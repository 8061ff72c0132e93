/**
 * Messages between a worker and its sandbox process (sandbox-pool.ts and
 * sandbox-process.ts), sent with Node's "advanced" IPC serialization.
 *
 * A page and its results cross as JSON text (binary values as base64, see
 * value-bridge.ts): a string goes through the pipe and into the isolate as
 * one copy, and JSON.parse is V8's fastest way to build the objects again,
 * where structured cloning would serialize the page four times on its way.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
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

/** One value for one script. */
export interface PageEntry {
  readonly script: number;
  /** Index into PagePayload.items; -1 when the script needs no item. */
  readonly item: number;
  readonly path: readonly PathSegment[];
  /** The input of a `js` script; absent for a generator. */
  readonly value?: AttributeValue;
}

export interface PagePayload {
  readonly items: readonly Item[];
  readonly entries: readonly PageEntry[];
}

/** A PageEntry as it crosses: [script, item, path, value in wire form]. */
export type WireEntry = [number, number, PathSegment[]] | [number, number, PathSegment[], unknown];

export interface WirePage {
  /** Items in wire form (binary as base64). */
  readonly items: readonly unknown[];
  readonly entries: readonly WireEntry[];
}

export type ParentMessage =
  /** `page` is the JSON of a WirePage with `size` entries. */
  | { type: 'run'; id: number; sandbox: number; define?: SandboxDefinition; page: string; size: number }
  | { type: 'dispose'; sandbox: number };

export type ChildMessage =
  | { type: 'ready' }
  /** Sent before each call into the isolate: where the sandbox is, should it stop answering. */
  | { type: 'at'; id: number; entry: number }
  /**
   * The results, one per entry in order, as JSON arrays (one per call into
   * the isolate) of AttributeValues in wire form; unchecked (value-bridge.ts
   * checks them).
   */
  | { type: 'done'; id: number; results: string[] }
  | { type: 'failed'; id: number; failure: ScriptFailure }
  /** Something went wrong that is not the script's doing. */
  | { type: 'error'; id: number; message: string };
