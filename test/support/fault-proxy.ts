/**
 * An HTTP proxy to put between a worker and DynamoDB Local that injects the
 * faults real DynamoDB and real networks produce: throttling (400 with the
 * exact JSON bodies DynamoDB sends), 500s, connections reset while the
 * request or the response is on the wire, and BatchWriteItem calls that
 * write only part of their items and hand the rest back as UnprocessedItems.
 *
 * Which request gets which fault is drawn from a seeded PRNG per operation,
 * so the n-th request of an operation always meets the same fault: a failing
 * run reproduces with the same seed. The proxy counts what it injected, so a
 * test can prove the faults really happened.
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { crc32 } from 'node:zlib';
import { mulberry32 } from './prng.ts';

export type FaultKind =
  /** 400 ThrottlingException, as DynamoDB's request-rate throttling answers. */
  | 'throttling'
  /** 400 ProvisionedThroughputExceededException, as a table over its capacity answers. */
  | 'provisionedThroughput'
  /** 500 InternalServerError. */
  | 'internalError'
  /** The connection is reset once the request headers arrive: DynamoDB never sees the request. */
  | 'resetMidRequest'
  /** The request is applied, then the connection is reset halfway through the response body. */
  | 'resetMidResponse'
  /** BatchWriteItem only: part of the batch is written, the rest comes back as UnprocessedItems. */
  | 'unprocessedItems';

export const FAULT_KINDS: readonly FaultKind[] = ['throttling', 'provisionedThroughput', 'internalError', 'resetMidRequest', 'resetMidResponse', 'unprocessedItems'];

export interface FaultRule {
  kind: FaultKind;
  /** Probability that a matching request gets this fault (rates of the rules matching one request add up, at most 1). */
  rate: number;
  /** Operations as in X-Amz-Target without the service prefix (`BatchWriteItem`); every operation when absent. */
  operations?: readonly string[];
  /**
   * Only the requests of an operation numbered from..from+count-1 (0-based,
   * counted per operation): with rate 1, an outage that outlasts the SDK's
   * retries.
   */
  window?: { from: number; count: number };
}

export interface FaultProxyOptions {
  /** DynamoDB endpoint to forward to (`http://127.0.0.1:8000`). */
  target: string;
  seed: number;
  rules?: readonly FaultRule[];
}

export interface FaultStats {
  /** Requests seen, by operation. */
  requests: Record<string, number>;
  /** Faults injected, by kind. */
  injected: Record<FaultKind, number>;
  /** Faults injected, by operation and kind (`BatchWriteItem:throttling`). */
  injectedByOperation: Record<string, number>;
  /** Write requests BatchWriteItem calls handed back unprocessed. */
  withheldItems: number;
}

export interface FaultProxy {
  /** Point a job's connection here. */
  readonly endpoint: string;
  /**
   * Starts a new experiment: these rules (and seed), per-operation sequences
   * and counts from zero, so the same rules and seed give the same faults.
   */
  configure(rules: readonly FaultRule[], seed?: number): void;
  /** What was seen and injected since the last configure. */
  stats(): FaultStats;
  close(): Promise<void>;
}

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** Bodies as DynamoDB sends them (the JSON 1.0 protocol's `__type` names the error). */
const ERROR_RESPONSES: Record<'throttling' | 'provisionedThroughput' | 'internalError', { status: number; body: object }> = {
  throttling: {
    status: 400,
    body: { __type: 'com.amazon.coral.availability#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' },
  },
  provisionedThroughput: {
    status: 400,
    body: {
      __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
      message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
    },
  },
  internalError: {
    status: 500,
    body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' },
  },
};

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const upstreamAgent = new http.Agent({ keepAlive: true });
  let rules: readonly FaultRule[] = [];
  let seed = options.seed;
  let draws = new Map<string, () => number>();
  let sequence = new Map<string, number>();
  let stats = emptyStats();
  const sockets = new Set<Socket>();

  const configure = (next: readonly FaultRule[], nextSeed = seed) => {
    for (const rule of next) {
      if (!(rule.rate >= 0 && rule.rate <= 1)) throw new RangeError(`fault rate must be within 0..1, got ${rule.rate}`);
    }
    rules = next;
    seed = nextSeed;
    draws = new Map();
    sequence = new Map();
    stats = emptyStats();
  };
  configure(options.rules ?? []);

  /** One stream per operation: concurrency reorders requests across operations, not the faults an operation meets. */
  const drawFor = (operation: string): (() => number) => {
    let draw = draws.get(operation);
    if (!draw) {
      draw = mulberry32(seed ^ crc32(operation));
      draws.set(operation, draw);
    }
    return draw;
  };

  const pickFault = (operation: string): { kind: FaultKind; split: number } | undefined => {
    const draw = drawFor(operation);
    const n = sequence.get(operation) ?? 0;
    sequence.set(operation, n + 1);
    // Always two draws per request, so one request's fault never shifts the next one's.
    const roll = draw();
    const split = draw();
    let sum = 0;
    for (const rule of rules) {
      if (rule.operations && !rule.operations.includes(operation)) continue;
      if (rule.kind === 'unprocessedItems' && operation !== 'BatchWriteItem') continue;
      if (rule.window && (n < rule.window.from || n >= rule.window.from + rule.window.count)) continue;
      sum += rule.rate;
      if (roll < sum) return { kind: rule.kind, split };
    }
    return undefined;
  };

  const count = (operation: string, kind: FaultKind) => {
    stats.injected[kind]++;
    const key = `${operation}:${kind}`;
    stats.injectedByOperation[key] = (stats.injectedByOperation[key] ?? 0) + 1;
  };

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
      const upstream = http.request(
        { protocol: target.protocol, hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers, agent: upstreamAgent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const targetHeader = String(req.headers['x-amz-target'] ?? '');
    const operation = targetHeader.slice(targetHeader.indexOf('.') + 1) || 'unknown';
    stats.requests[operation] = (stats.requests[operation] ?? 0) + 1;
    const fault = pickFault(operation);

    if (fault?.kind === 'resetMidRequest') {
      count(operation, fault.kind);
      req.socket.destroy();
      return;
    }
    const body = await readBody(req);
    if (fault && fault.kind in ERROR_RESPONSES) {
      count(operation, fault.kind);
      const { status, body: error } = ERROR_RESPONSES[fault.kind as keyof typeof ERROR_RESPONSES];
      send(res, status, Buffer.from(JSON.stringify(error)));
      return;
    }

    let forwarded = body;
    let withheld: Record<string, unknown[]> | undefined;
    if (fault?.kind === 'unprocessedItems') {
      const split = splitBatch(body, fault.split);
      if (split) {
        count(operation, fault.kind);
        stats.withheldItems += split.withheldCount;
        forwarded = split.forwarded;
        withheld = split.withheld;
      }
    }

    const upstream = await forward(req, forwarded);
    let responseBody = upstream.body;
    if (withheld && upstream.status === 200) {
      const output = JSON.parse(upstream.body.toString('utf8')) as { UnprocessedItems?: Record<string, unknown[]> };
      const unprocessed = output.UnprocessedItems ?? {};
      for (const [table, requests] of Object.entries(withheld)) unprocessed[table] = [...(unprocessed[table] ?? []), ...requests];
      responseBody = Buffer.from(JSON.stringify({ ...output, UnprocessedItems: unprocessed }));
    }

    if (fault?.kind === 'resetMidResponse') {
      count(operation, fault.kind);
      res.writeHead(upstream.status, responseHeaders(upstream.headers, responseBody));
      res.write(responseBody.subarray(0, Math.floor(responseBody.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.writeHead(upstream.status, responseHeaders(upstream.headers, responseBody));
    res.end(responseBody);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      // The upstream failed (DynamoDB Local stopping): the client sees a reset, as it would.
      req.socket.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    configure,
    stats: () => structuredClone(stats),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      upstreamAgent.destroy();
    },
  };
}

function emptyStats(): FaultStats {
  return {
    requests: {},
    injected: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>,
    injectedByOperation: {},
    withheldItems: 0,
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Keeps the first part of a BatchWriteItem's write requests (at least one,
 * so DynamoDB Local still gets a valid batch) and withholds the rest.
 * A batch of one request cannot be split and is left alone.
 */
function splitBatch(body: Buffer, fraction: number): { forwarded: Buffer; withheld: Record<string, unknown[]>; withheldCount: number } | undefined {
  const input = JSON.parse(body.toString('utf8')) as { RequestItems: Record<string, unknown[]> };
  const all = Object.entries(input.RequestItems).flatMap(([table, requests]) => requests.map((request) => ({ table, request })));
  if (all.length < 2) return undefined;
  const keep = 1 + Math.floor(fraction * (all.length - 1));
  const group = (entries: typeof all) => {
    const byTable: Record<string, unknown[]> = {};
    for (const { table, request } of entries) (byTable[table] ??= []).push(request);
    return byTable;
  };
  return {
    forwarded: Buffer.from(JSON.stringify({ ...input, RequestItems: group(all.slice(0, keep)) })),
    withheld: group(all.slice(keep)),
    withheldCount: all.length - keep,
  };
}

/** DynamoDB checksums every body it sends (x-amz-crc32); a rewritten body gets a fresh one. */
function responseHeaders(upstream: http.IncomingHttpHeaders, body: Buffer): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value !== undefined && !['content-length', 'x-amz-crc32', 'connection', 'keep-alive', 'transfer-encoding'].includes(name)) headers[name] = value;
  }
  headers['content-length'] = String(body.length);
  headers['x-amz-crc32'] = String(crc32(body));
  return headers;
}

function send(res: ServerResponse, status: number, body: Buffer): void {
  res.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': String(body.length),
    'x-amzn-requestid': randomUUID().replace(/-/g, '').toUpperCase(),
    'x-amz-crc32': String(crc32(body)),
  });
  res.end(body);
}
