/**
 * Registers dynamask's search attributes (workflows/search-attributes.ts) on
 * a namespace that lacks them, through Temporal's operator service. A
 * schedule or a run that names an unregistered search attribute is refused by
 * the server, so `schedule apply` (and `run`) call this first.
 */
import { isGrpcServiceError, type ConnectionLike } from '@temporalio/client';
// The SDK's own mapping from its type names to the proto enum, and the key type; its index exports neither.
import {
  encodeSearchAttributeIndexedValueType,
  type SearchAttributeKey,
  type SearchAttributeType,
} from '@temporalio/common/lib/search-attributes.js';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/search-attributes.ts';

export interface EnsureSearchAttributesResult {
  /** Names this call registered. */
  added: string[];
  /** The server would not list its search attributes (Temporal Cloud without operator rights): nothing was checked. */
  unchecked?: string;
}

/** gRPC status codes that mean "this caller may not use the operator service", not "Temporal is broken". */
const NOT_ALLOWED = new Set([7 /* PERMISSION_DENIED */, 12 /* UNIMPLEMENTED */, 16 /* UNAUTHENTICATED */]);

/** The `temporal` CLI spelling of the types, for the message that tells a person what to run. */
const CLI_TYPE: Partial<Record<SearchAttributeType, string>> = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList' };

export function searchAttributeCreateCommand(namespace: string, keys: readonly SearchAttributeKey<SearchAttributeType>[] = SEARCH_ATTRIBUTE_KEYS): string {
  const pairs = keys.map((key) => `--name ${key.name} --type ${CLI_TYPE[key.type] ?? key.type}`).join(' ');
  return `temporal operator search-attribute create --namespace ${namespace} ${pairs}`;
}

export async function ensureSearchAttributes(
  connection: Pick<ConnectionLike, 'operatorService'>,
  namespace: string,
  keys: readonly SearchAttributeKey<SearchAttributeType>[] = SEARCH_ATTRIBUTE_KEYS,
): Promise<EnsureSearchAttributesResult> {
  let existing: Record<string, number>;
  try {
    existing = await listCustom(connection, namespace);
  } catch (error) {
    if (isGrpcServiceError(error) && NOT_ALLOWED.has(error.code)) {
      return { added: [], unchecked: `cannot list the search attributes of namespace ${namespace} (${error.details || error.message})` };
    }
    throw new Error(`cannot list the search attributes of namespace ${namespace}`, { cause: error });
  }

  const missing: SearchAttributeKey<SearchAttributeType>[] = [];
  for (const key of keys) {
    const want = encodeSearchAttributeIndexedValueType(key.type)!;
    const have = existing[key.name];
    if (have === undefined) missing.push(key);
    else if (have !== want) {
      throw new Error(`search attribute ${key.name} exists on namespace ${namespace} with another type; dynamask needs ${CLI_TYPE[key.type] ?? key.type}`);
    }
  }
  if (missing.length === 0) return { added: [] };

  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!])),
    });
  } catch (error) {
    // Another process registering the same names at the same moment is success.
    if (!(isGrpcServiceError(error) && error.code === 6 /* ALREADY_EXISTS */)) {
      throw new Error(
        `cannot register search attributes ${missing.map((k) => k.name).join(', ')} on namespace ${namespace}; ` +
          `register them once with \`${searchAttributeCreateCommand(namespace, missing)}\` (Temporal Cloud: tcld or the Cloud UI)`,
        { cause: error },
      );
    }
  }
  // Registration goes through a system workflow; wait until the names are usable.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const now = await listCustom(connection, namespace);
    if (missing.every((key) => now[key.name] !== undefined)) break;
    if (Date.now() > deadline) throw new Error(`search attributes ${missing.map((k) => k.name).join(', ')} did not appear on namespace ${namespace} within 30s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { added: missing.map((key) => key.name) };
}

async function listCustom(connection: Pick<ConnectionLike, 'operatorService'>, namespace: string): Promise<Record<string, number>> {
  const response = await connection.operatorService.listSearchAttributes({ namespace });
  return (response.customAttributes ?? {}) as Record<string, number>;
}
