/**
 * What a failed script says, as data (ScriptFailure) and as text.
 *
 * Error messages end up in Temporal history and logs, where item values
 * must never go, and a script's own messages may quote them (`JSON.parse`
 * and `BigInt` quote their input; so can `throw new Error(value)`). So a
 * message a script throws is shown only when everything it contains is
 * already in the job file: the whole message appears in the script's code
 * (`throw new Error("no price")`), or it is one of V8's fixed messages, or a
 * V8 template whose inserted parts appear in the code (`value.trim is not
 * a function`). Otherwise the error's type and line are shown and the
 * message is withheld; `dynamask preview`, which prints values anyway,
 * shows every message.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../model/item.ts';
import type { SandboxLimits } from '../../model/job.ts';
import { formatPathForMessage, type Path } from '../../model/path.ts';

export type ScriptFailure =
  | { kind: 'threw'; entry: number; errorName: string; line?: number; column?: number; message?: string }
  | { kind: 'shape'; entry: number; shape: string }
  | { kind: 'helper'; entry: number; message: string }
  | { kind: 'slow'; entry: number; ms: number }
  | { kind: 'timeout'; entry: number }
  | { kind: 'memory'; entry: number }
  /** The sandbox process stopped answering and was killed; `entry` is where its last chunk began. */
  | { kind: 'unresponsive'; entry?: number }
  /** The sandbox process died (V8 aborts on some runaway allocations); `entry` as above. */
  | { kind: 'crashed'; entry?: number };

/** What a value that cannot be stored was, by the shape word the bridge reports. */
export const SHAPES: Readonly<Record<string, string>> = {
  undefined: 'undefined (return a value, or dynamask.drop to remove the attribute)',
  undefinedInList: 'a list holding undefined',
  symbol: 'a symbol',
  function: 'a function',
  nan: 'NaN',
  infinity: 'an infinite number',
  tooDeep: "a value nested deeper than DynamoDB's 32 levels (or one that contains itself)",
  badSetElement: 'a Set holding something other than strings, numbers or Uint8Arrays',
  mixedSet: 'a Set mixing strings, numbers and binary values',
  typedArray: 'a typed array other than Uint8Array',
  date: 'a Date (return date.toISOString() to store text)',
  map: 'a Map (return a plain object for a DynamoDB map)',
  promise: 'a Promise (scripts run synchronously)',
  regexp: 'a RegExp',
  error: 'an Error (throw it instead)',
  object: 'an object that is not a plain object, array, Set, Uint8Array or DynamoNumber',
  badNumber: 'number text that is not a number',
  tooPrecise: 'a number with more than the 38 significant digits DynamoDB stores',
  outOfRange: "a number outside DynamoDB's range (1E-130 to 1E+126)",
  drop: 'dynamask.drop, which is not a value',
  notNumber: 'something other than a number, a bigint or number text',
  invalid: 'something that is not a DynamoDB value',
  unknownInput: 'something that is not a DynamoDB value',
};

export function describeShape(shape: string): string {
  return SHAPES[shape] ?? SHAPES['invalid']!;
}

const STANDARD_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError']);

/** V8 messages with nothing inserted. */
const FIXED_MESSAGES = new Set([
  'Maximum call stack size exceeded',
  'Array buffer allocation failed',
  'Invalid string length',
  'Invalid array length',
  'Assignment to constant variable.',
  'Cannot convert undefined or null to object',
  'Cannot convert a BigInt value to a number',
  'Cannot mix BigInt and other types, use explicit conversions',
  'Cannot convert a Symbol value to a string',
  'Division by zero',
  'Unexpected end of JSON input',
  'Invalid time value',
  'Reduce of empty array with no initial value',
  'Cannot freeze array buffer views with elements',
]);

/** V8 templates; every captured part must appear in the script's code. */
const TEMPLATES: readonly RegExp[] = [
  /^(.+) is not defined$/,
  /^(.+) is not a function$/,
  /^(.+) is not a function or its return value is not iterable$/,
  /^(.+) is not a constructor$/,
  /^(.+) is not iterable$/,
  /^Cannot read properties of (?:undefined|null) \(reading '(.*)'\)$/,
  /^Cannot set properties of (?:undefined|null) \(setting '(.*)'\)$/,
  /^Cannot access '(.+)' before initialization$/,
  /^Cannot assign to read only property '(.+)' of object '.*'$/,
  /^Cannot add property (.+), object is not extensible$/,
];

/**
 * The message of an error a script threw, when it is safe to show (see the
 * top of this file), else undefined. `reveal` shows it whatever it holds.
 */
export function safeMessage(message: string, code: string, reveal: boolean): string | undefined {
  if (reveal || FIXED_MESSAGES.has(message)) return message;
  if (message.trim() !== '' && code.includes(message)) return message;
  for (const template of TEMPLATES) {
    const match = template.exec(message);
    if (!match) continue;
    const parts = match.slice(1).map((part) => part.replaceAll('(intermediate value)', '').replace(/^\.+|\.+$/g, ''));
    if (parts.every((part) => part === '' || code.includes(part))) return message;
  }
  return undefined;
}

/** An error's type as shown: a standard name, or a name the code itself spells, else a generic word. */
export function safeErrorName(name: string | undefined, isError: boolean, code: string): string {
  if (name !== undefined && (STANDARD_ERRORS.has(name) || (/^[A-Za-z_$][\w$]*$/.test(name) && code.includes(name)))) return name;
  return isError ? 'an error' : 'a value that is not an Error';
}

/** Line and column of the first stack frame inside script number `index` (compiled as `script-<index>`). */
export function locateInStack(stack: string | undefined, index: number): { line: number; column: number } | undefined {
  if (stack === undefined) return undefined;
  const frame = new RegExp(`^\\s+at .*\\bscript-${index}:(\\d+):(\\d+)\\)?$`);
  for (const text of stack.split('\n')) {
    const match = frame.exec(text);
    if (match) return { line: Number(match[1]), column: Number(match[2]) };
  }
  return undefined;
}

export type HelperProblem = 'unknownHelper' | 'unavailable' | 'helperValue' | 'helperOptions';

/** Messages of the problems the isolate reports through the host (never the script's own text). */
export function helperProblemMessage(kind: string, name: string, detail: string, code: string, helperNames: readonly string[]): string {
  switch (kind) {
    case 'unknownHelper': {
      if (!code.includes(name)) return 'the script asked for a dynamask helper that does not exist';
      const close = closestName(name, helperNames);
      return `dynamask.${name} is not a helper${close ? ` (did you mean dynamask.${close}?)` : ''}; the helpers are the built-in transformers, random, number and drop`;
    }
    case 'unavailable':
      return `${name} is not available in the sandbox: scripts get no modules, process, console, network, file system or timers`;
    case 'helperValue':
      return `dynamask.${name}: its first argument is ${describeShape(detail)}`;
    case 'helperOptions':
      return `dynamask.${name}: options must be a plain object of strings, numbers, booleans, null and lists`;
    default:
      return 'the sandbox reported a problem it could not name';
  }
}

function closestName(name: string, names: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of names) {
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance && distance * 2 < Math.max(name.length, candidate.length)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/** The reason part of a failure: what happened, without where. */
export function describeFailure(failure: ScriptFailure, limits: SandboxLimits): string {
  switch (failure.kind) {
    case 'threw': {
      const at = failure.line === undefined ? '' : ` at line ${failure.line}, column ${failure.column}`;
      const what = `threw ${failure.errorName}${at}`;
      if (failure.message === undefined) return `${what} (its message is not shown, as it may hold item values; \`dynamask preview\` shows it)`;
      const hint = failure.message === 'Array buffer allocation failed' ? ` (beyond sandbox.memoryLimitMb, ${limits.memoryLimitMb} MB)` : '';
      return `${what}: ${failure.message}${hint}`;
    }
    case 'shape':
      return `returned ${describeShape(failure.shape)}`;
    case 'helper':
      return `failed: ${failure.message}`;
    case 'slow':
      return `used at least ${failure.ms} ms of CPU time on one value, more than sandbox.timeoutMs (${limits.timeoutMs} ms)`;
    case 'timeout':
      return `ran longer than sandbox.timeoutMs (${limits.timeoutMs} ms) on one value and was stopped (an endless loop?); the sandbox was reset`;
    case 'memory':
      return `used more than sandbox.memoryLimitMb (${limits.memoryLimitMb} MB) and was stopped; the sandbox was reset`;
    case 'unresponsive':
      return `did not stop within sandbox.timeoutMs (${limits.timeoutMs} ms) and could not be interrupted; the sandbox process was killed and restarted`;
    case 'crashed':
      return `crashed the sandbox process, most likely by allocating without bound past sandbox.memoryLimitMb (${limits.memoryLimitMb} MB); the process was restarted`;
  }
}

/** `the item with key year, title`, or with values when keys are not sensitive: `the item year=2013, title="Rush"`. */
export function describeItem(item: Item | undefined, keyAttributes: readonly string[], keysAreSensitive: boolean): string {
  if (keyAttributes.length === 0 || item === undefined) return 'an item';
  if (keysAreSensitive) return `the item with key ${keyAttributes.join(', ')}`;
  return `the item ${keyAttributes.map((name) => `${name}=${keyValueText(item[name])}`).join(', ')}`;
}

function keyValueText(value: AttributeValue | undefined): string {
  if (value === undefined) return '(absent)';
  if (value.S !== undefined) return JSON.stringify(value.S);
  if (value.N !== undefined) return value.N;
  if (value.B !== undefined) return `<${Buffer.from(value.B).toString('base64')}>`;
  return '(not a key type)';
}

/** Where a failed value was: `info.actors[0] of the item with key year, title`. */
export function describeValuePlace(
  path: Path,
  item: Item | undefined,
  keyAttributes: readonly string[],
  keysAreSensitive: boolean,
  knownNames: ReadonlySet<string>,
): string {
  return `${formatPathForMessage(path, knownNames)} of ${describeItem(item, keyAttributes, keysAreSensitive)}`;
}
