// The runtime that runs inside every sandbox isolate: it turns DynamoDB
// AttributeValues into plain JavaScript values and back (the value mapping of
// the README), defines the `dynamask` helpers, the seeded `random()`, and the
// loop that runs a page of values in one call.
//
// Plain JavaScript, read as text and evaluated in the isolate (not in Node):
// it has no imports, and it keeps its own references to the built-ins it
// uses, so that a script that replaces `Reflect.apply` or `Date.now` changes
// only what it itself sees. Nothing here is trusted by the host: whatever
// comes out is checked again in value-bridge.ts.
(function installRuntime(callHelper, reportProblem, seedFor, progressBuffer, helperNames) {
  'use strict';
  const { create, freeze, isFrozen, keys, defineProperty, getPrototypeOf } = Object;
  const ObjectPrototype = Object.prototype;
  const { isArray } = Array;
  const apply = Reflect.apply;
  const now = Date.now;
  const isFiniteNumber = Number.isFinite;
  const toNumber = Number;
  const toText = String;
  const toBigInt = BigInt;
  const { stringify, parse } = JSON;
  const SetClass = Set;
  const ProxyClass = Proxy;
  const Bytes = Uint8Array;
  const Buffer = ArrayBuffer;
  const isView = ArrayBuffer.isView;
  const DateClass = Date;
  const MapClass = Map;
  const PromiseClass = Promise;
  const RegExpClass = RegExp;
  const ErrorClass = Error;
  const progress = new Int32Array(progressBuffer);

  /** A DynamoDB number: its exact text, and a JS number where arithmetic needs one. */
  class DynamoNumber {
    #text;
    constructor(text) {
      this.#text = toText(text);
      freeze(this);
    }
    /** The exact text, as DynamoDB stores it (`8.30`, 38 digits and all). */
    get text() {
      return this.#text;
    }
    toString() {
      return this.#text;
    }
    toJSON() {
      return this.#text;
    }
    /** Nearest double; exact up to 2^53 and for most short decimals. */
    valueOf() {
      return toNumber(this.#text);
    }
    [Symbol.toPrimitive](hint) {
      return hint === 'string' ? this.#text : toNumber(this.#text);
    }
    /** Exact, for integers of any size; throws for a number with a fraction. */
    toBigInt() {
      return toBigInt(this.#text.replace(/^\+/, ''));
    }
    static isNumber(value) {
      return value !== null && typeof value === 'object' && #text in value;
    }
  }
  const isDynamoNumber = DynamoNumber.isNumber;
  freeze(DynamoNumber.prototype);
  freeze(DynamoNumber);

  /** Returned (or put in a map or list), it removes the value. */
  const DROP = freeze(create(null, { toString: { value: () => 'dynamask.drop' } }));

  /** A helper failed; the host holds its message, under `ref`. */
  class HelperFailure {
    constructor(ref) {
      this.ref = ref;
    }
  }
  /** A value cannot become an AttributeValue; `shape` is one word from a fixed list. */
  class ShapeFailure {
    constructor(shape) {
      this.shape = shape;
    }
  }

  // ---- base64, for binary values in the page's JSON (the isolate has no Buffer) ----

  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const CODES = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) CODES[ALPHABET.charCodeAt(i)] = i;

  function fromBase64(text) {
    let length = (text.length / 4) * 3;
    if (text.endsWith('==')) length -= 2;
    else if (text.endsWith('=')) length -= 1;
    const out = new Bytes(length);
    let o = 0;
    for (let i = 0; i < text.length; i += 4) {
      const n = (CODES[text.charCodeAt(i)] << 18) | (CODES[text.charCodeAt(i + 1)] << 12) | ((CODES[text.charCodeAt(i + 2)] & 63) << 6) | (CODES[text.charCodeAt(i + 3)] & 63);
      if (o < length) out[o++] = (n >> 16) & 255;
      if (o < length) out[o++] = (n >> 8) & 255;
      if (o < length) out[o++] = n & 255;
    }
    return out;
  }

  function toBase64(bytes) {
    let out = '';
    let i = 0;
    for (; i + 2 < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
    }
    if (i < bytes.length) {
      const n = (bytes[i] << 16) | ((i + 1 < bytes.length ? bytes[i + 1] : 0) << 8);
      out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63] + (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=') + '=';
    }
    return out;
  }

  function bytesReplacer(key, value) {
    return value instanceof Bytes ? toBase64(value) : value;
  }

  // ---- AttributeValue -> JavaScript ----

  function setOwn(target, key, value) {
    if (key === '__proto__') defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    else target[key] = value;
  }

  function decode(av) {
    if (av.S !== undefined) return av.S;
    if (av.N !== undefined) return new DynamoNumber(av.N);
    // Base64 text in the page's JSON; bytes from a helper.
    if (av.B !== undefined) return typeof av.B === 'string' ? fromBase64(av.B) : av.B;
    if (av.BOOL !== undefined) return av.BOOL;
    if (av.NULL !== undefined) return null;
    if (av.M !== undefined) {
      const out = {};
      const map = av.M;
      for (const key of keys(map)) setOwn(out, key, decode(map[key]));
      return out;
    }
    if (av.L !== undefined) {
      const list = av.L;
      const out = new Array(list.length);
      for (let i = 0; i < list.length; i++) out[i] = decode(list[i]);
      return out;
    }
    if (av.SS !== undefined) return new SetClass(av.SS);
    if (av.NS !== undefined) {
      const out = new SetClass();
      for (const text of av.NS) out.add(new DynamoNumber(text));
      return out;
    }
    if (av.BS !== undefined) {
      const out = new SetClass();
      for (const element of av.BS) out.add(typeof element === 'string' ? fromBase64(element) : element);
      return out;
    }
    throw new ShapeFailure('unknownInput');
  }

  function deepFreeze(value) {
    if (value === null || typeof value !== 'object' || isView(value) || isFrozen(value)) return value;
    freeze(value);
    if (isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
    else if (!(value instanceof SetClass)) for (const key of keys(value)) deepFreeze(value[key]);
    return value;
  }

  // ---- JavaScript -> AttributeValue ----

  /** DynamoDB nests at most 32 levels; deeper is also how a cycle shows. */
  const MAX_DEPTH = 32;

  function numberText(number) {
    if (!isFiniteNumber(number)) throw new ShapeFailure(number !== number ? 'nan' : 'infinity');
    return toText(number);
  }

  /** Whether a result holds bytes, which JSON needs turned into base64. */
  let sawBytes = false;

  function bytesOf(value) {
    sawBytes = true;
    // A view may sit on a larger buffer; copy only its own bytes.
    if (value instanceof Bytes) return new Bytes(value);
    return new Bytes(value.slice(0));
  }

  function encodeSet(set) {
    let kind;
    const out = [];
    for (const element of set) {
      let text;
      let elementKind;
      if (typeof element === 'string') {
        elementKind = 'SS';
        text = element;
      } else if (typeof element === 'number') {
        elementKind = 'NS';
        text = numberText(element);
      } else if (typeof element === 'bigint') {
        elementKind = 'NS';
        text = toText(element);
      } else if (isDynamoNumber(element)) {
        elementKind = 'NS';
        text = element.text;
      } else if (element instanceof Bytes || element instanceof Buffer) {
        elementKind = 'BS';
        text = bytesOf(element);
      } else {
        throw new ShapeFailure('badSetElement');
      }
      if (kind !== undefined && kind !== elementKind) throw new ShapeFailure('mixedSet');
      kind = elementKind;
      out.push(text);
    }
    if (kind === undefined) return DROP;
    return { [kind]: out };
  }

  function encode(value, depth) {
    switch (typeof value) {
      case 'string':
        return { S: value };
      case 'number':
        return { N: numberText(value) };
      case 'bigint':
        return { N: toText(value) };
      case 'boolean':
        return { BOOL: value };
      case 'undefined':
        throw new ShapeFailure('undefined');
      case 'symbol':
        throw new ShapeFailure('symbol');
      case 'function':
        throw new ShapeFailure('function');
    }
    if (value === null) return { NULL: true };
    if (value === DROP) return DROP;
    if (depth >= MAX_DEPTH) throw new ShapeFailure('tooDeep');
    if (isDynamoNumber(value)) return { N: value.text };
    if (isArray(value)) {
      const list = [];
      for (let i = 0; i < value.length; i++) {
        const element = value[i];
        if (element === undefined) throw new ShapeFailure('undefinedInList');
        const encoded = encode(element, depth + 1);
        if (encoded !== DROP) list.push(encoded);
      }
      return { L: list };
    }
    if (value instanceof Bytes || value instanceof Buffer) return { B: bytesOf(value) };
    if (value instanceof SetClass) return encodeSet(value);
    const prototype = getPrototypeOf(value);
    if (prototype === ObjectPrototype || prototype === null) {
      const map = {};
      for (const key of keys(value)) {
        const member = value[key];
        // Like JSON: a member set to undefined is left out.
        if (member === undefined) continue;
        const encoded = encode(member, depth + 1);
        if (encoded !== DROP) setOwn(map, key, encoded);
      }
      return { M: map };
    }
    if (isView(value)) throw new ShapeFailure('typedArray');
    if (value instanceof DateClass) throw new ShapeFailure('date');
    if (value instanceof MapClass) throw new ShapeFailure('map');
    if (value instanceof PromiseClass) throw new ShapeFailure('promise');
    if (value instanceof RegExpClass) throw new ShapeFailure('regexp');
    if (value instanceof ErrorClass) throw new ShapeFailure('error');
    throw new ShapeFailure('object');
  }

  // ---- the seeded random() ----

  // sfc32, like the built-ins' fakes; the host seeds it per value from
  // HMAC-SHA-256(salt, script, input) on the first draw.
  let seededEntry = -1;
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 1;
  function next32() {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  }
  function random() {
    if (seededEntry !== current) {
      const words = seedFor(current);
      a = words[0] | 0;
      b = words[1] | 0;
      c = words[2] | 0;
      d = words[3] | 0;
      for (let i = 0; i < 12; i++) next32();
      seededEntry = current;
    }
    return ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
  }

  // ---- helpers ----

  function plainOptions(options, depth) {
    if (options === null || typeof options === 'string' || typeof options === 'boolean') return options;
    if (typeof options === 'number') return isFiniteNumber(options) ? options : undefined;
    if (isDynamoNumber(options)) return toNumber(options.text);
    if (typeof options !== 'object' || depth > 8) return undefined;
    if (isArray(options)) {
      const out = [];
      for (const element of options) {
        const plain = plainOptions(element, depth + 1);
        if (plain === undefined) return undefined;
        out.push(plain);
      }
      return out;
    }
    const prototype = getPrototypeOf(options);
    if (prototype !== ObjectPrototype && prototype !== null) return undefined;
    const out = {};
    for (const key of keys(options)) {
      if (options[key] === undefined) continue;
      const plain = plainOptions(options[key], depth + 1);
      if (plain === undefined) return undefined;
      setOwn(out, key, plain);
    }
    return out;
  }

  function makeHelper(name) {
    return function (value, options) {
      let encoded;
      try {
        encoded = encode(value, 0);
      } catch (error) {
        if (error instanceof ShapeFailure) throw new HelperFailure(reportProblem('helperValue', name, error.shape, currentScript));
        throw error;
      }
      if (encoded === DROP) throw new HelperFailure(reportProblem('helperValue', name, 'drop', currentScript));
      const plain = options === undefined ? {} : plainOptions(options, 0);
      if (plain === undefined || plain === null || typeof plain !== 'object' || isArray(plain)) {
        throw new HelperFailure(reportProblem('helperOptions', name, '', currentScript));
      }
      // Text crosses to the host several times faster than objects do.
      const response = parse(callHelper(name, stringify(encoded, bytesReplacer), stringify(plain), stringify(currentPath)));
      if (response.error !== undefined) throw new HelperFailure(response.error);
      return response.drop ? DROP : decode(response.value);
    };
  }

  const api = create(null);
  for (const name of helperNames) api[name] = makeHelper(name);
  // After the helpers: `drop` is the marker here, not the transformer of that name.
  api.random = random;
  api.drop = DROP;
  api.number = function number(value) {
    if (isDynamoNumber(value)) return value;
    if (typeof value === 'number') return new DynamoNumber(numberText(value));
    if (typeof value === 'bigint' || typeof value === 'string') return new DynamoNumber(toText(value));
    throw new HelperFailure(reportProblem('helperValue', 'number', 'notNumber', currentScript));
  };
  freeze(api);
  const dynamask = new ProxyClass(api, {
    get(target, key) {
      if (typeof key !== 'string' || key in target) return target[key];
      throw new HelperFailure(reportProblem('unknownHelper', key, '', currentScript));
    },
  });

  // ---- the sandbox's globals ----

  const global = globalThis;
  defineProperty(global, 'dynamask', { value: dynamask, enumerable: false });
  defineProperty(global, 'random', { value: random, enumerable: false });
  defineProperty(global, 'DynamoNumber', { value: DynamoNumber, enumerable: false });
  // Every source of randomness is the seeded one, so any script is deterministic.
  defineProperty(Math, 'random', { value: random, enumerable: false });
  for (const name of ['SharedArrayBuffer', 'Atomics', 'WebAssembly']) delete global[name];
  // Not there anyway; named so that a script that reaches for them hears why.
  for (const name of ['require', 'process', 'module', 'exports', 'Buffer', 'console', 'fetch', 'XMLHttpRequest', 'WebSocket', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'importScripts']) {
    defineProperty(global, name, {
      get() {
        throw new HelperFailure(reportProblem('unavailable', name, '', currentScript));
      },
    });
  }

  // ---- running a page ----

  const scripts = [];
  let page = null;
  let items = [];
  let current = -1;
  let currentScript = -1;
  let currentPath = [];

  function register(index, fn, kind, needsItem) {
    scripts[index] = { fn, kind, needsItem };
  }

  function itemAt(index) {
    let item = items[index];
    if (item === undefined) {
      const source = page.items[index];
      item = {};
      for (const key of keys(source)) setOwn(item, key, decode(source[key]));
      items[index] = deepFreeze(item);
    }
    return item;
  }

  function describeThrown(error) {
    if (error instanceof HelperFailure) return { kind: 'helper', ref: error.ref };
    if (error instanceof ShapeFailure) return { kind: 'shape', shape: error.shape };
    let name;
    let message;
    let stack;
    try {
      if (error instanceof ErrorClass) {
        name = toText(error.name);
        message = toText(error.message).slice(0, 1000);
        stack = toText(error.stack).slice(0, 4000);
      } else {
        message = toText(error).slice(0, 1000);
      }
    } catch {
      // A getter that throws: report what we have.
    }
    return { kind: 'threw', name, message, stack, isError: error instanceof ErrorClass };
  }

  /**
   * Keeps a page (JSON of a WirePage, sandbox-protocol.ts: { items, paths,
   * values }, and an Int32Array of [script, item, path] per entry, flat)
   * until it is done.
   */
  function begin(json, entries) {
    page = parse(json);
    page.entries = entries;
    // Each distinct path is frozen once, and every value at it sees that one.
    const paths = page.paths;
    for (let i = 0; i < paths.length; i++) freeze(paths[i]);
    items = [];
  }

  /** A value of the page as a script sees it: a string stands for { S }. */
  function input(value) {
    return typeof value === 'string' ? value : decode(value);
  }

  function finish(results) {
    const json = sawBytes ? stringify(results, bytesReplacer) : stringify(results);
    sawBytes = false;
    return json;
  }

  /**
   * Runs entries from `start` until the page ends, one fails, `sliceMs` has
   * passed (then the host calls again, so that one call's time limit never
   * has to cover a whole page), or a value took longer than `limitMs`: the
   * clock here is the wall's, so the host then checks the CPU time. The
   * first call of a page brings the page (`json`, `entries`): one call fewer a page.
   */
  function run(start, sliceMs, limitMs, json, pageEntries) {
    const began = now();
    if (json !== undefined) begin(json, pageEntries);
    const { entries, values, paths } = page;
    const size = values.length;
    const results = [];
    let startedAt = began;
    sawBytes = false;
    // A value tried again (after a call ran out of time) draws random() from the start again.
    seededEntry = -1;
    for (let i = start; i < size; i++) {
      const before = startedAt - began;
      if (i > start && before >= sliceMs) return { results: finish(results), next: i };
      const at = i * 3;
      const index = entries[at];
      const path = paths[entries[at + 2]];
      current = i;
      currentScript = index;
      currentPath = path;
      // What the host reads if this call never returns.
      progress[0] = i;
      progress[1] = before;
      const script = scripts[index];
      let result;
      try {
        const item = script.needsItem ? itemAt(entries[at + 1]) : undefined;
        const out = script.kind === 'js' ? apply(script.fn, undefined, [input(values[i]), item, path]) : apply(script.fn, undefined, [item, path]);
        if (typeof out === 'string') result = out;
        else {
          if (out === undefined) throw new ShapeFailure('undefined');
          const encoded = encode(out, 0);
          result = encoded === DROP ? { drop: true } : encoded;
        }
      } catch (error) {
        page = null;
        return { failure: { entry: i, ...describeThrown(error) } };
      }
      results.push(result);
      const endedAt = now();
      const took = endedAt - startedAt;
      startedAt = endedAt;
      if (took > limitMs) return { results: finish(results), next: i + 1, slow: { entry: i, ms: took, before } };
    }
    page = null;
    items = [];
    return { results: finish(results), next: size };
  }

  return { register, run };
});
