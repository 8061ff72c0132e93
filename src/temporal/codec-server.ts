/**
 * A codec server: the HTTP endpoints the Temporal UI and the `temporal` CLI
 * call to show encrypted payloads decoded (`--codec-endpoint`, the UI's
 * codec endpoint setting), following Temporal's codec server protocol:
 *
 * - `POST …/encode` and `POST …/decode`, judged by the last path segment
 *   only, so `/decode` and `/{namespace}/decode` both work; the body is a
 *   Payloads message in protobuf JSON, `{ "payloads": [{ "metadata":
 *   { "encoding": "<base64>" }, "data": "<base64>" }] }`, and so is the
 *   answer. Bad JSON and payloads the codec refuses answer 400.
 * - CORS for the configured UI origins (preflight included), with the
 *   headers the UI sends: content-type, x-namespace, authorization.
 * - An optional bearer token (what `--codec-auth "Bearer …"` or
 *   TEMPORAL_CODEC_AUTH sends), compared in constant time; 401 otherwise.
 *
 * Whoever can call /decode reads every payload, so the server listens on
 * loopback unless told otherwise.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { PayloadCodecError } from './payload-codec.ts';

export const DEFAULT_UI_ORIGIN = 'http://localhost:8233';
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
const ALLOWED_HEADERS = 'content-type, x-namespace, authorization';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** 0 or absent: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Origins allowed to call from a browser (the Temporal UI's); requests without an Origin (the CLI) are not affected. */
  origins?: readonly string[];
  /** When set, every encode/decode needs `Authorization: Bearer <token>`. */
  token?: string;
  maxBodyBytes?: number;
  /** One line per refused or failed request; never a payload. */
  log?: (line: string) => void;
}

export interface CodecServer {
  /** http://host:port, what --codec-endpoint takes. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A payload in protobuf JSON: bytes fields as base64. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const host = options.host ?? '127.0.0.1';
  const origins = new Set(options.origins ?? []);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const tokenDigest = options.token ? digest(options.token) : undefined;
  const log = options.log ?? (() => {});

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const known = error instanceof HttpError;
      if (!known) log(`codec server: ${request.method} ${pathOf(request)} failed: ${error instanceof Error ? error.name : 'error'}`);
      else if (error.status !== 400) log(`codec server: ${request.method} ${pathOf(request)} refused (${error.status}): ${error.message}`);
      send(response, known ? error.status : 500, { error: known ? error.message : 'internal error' }, known ? error.headers : {});
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const origin = request.headers.origin;
    if (origins.size > 0) response.setHeader('Vary', 'Origin');
    if (origin && origins.has(origin)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    const operation = pathOf(request).split('/').filter(Boolean).at(-1);
    if (operation !== 'encode' && operation !== 'decode') throw new HttpError(404, 'not found: the codec server answers POST …/encode and …/decode');
    if (request.method === 'OPTIONS') {
      if (origin && !origins.has(origin)) throw new HttpError(403, `origin ${origin} is not allowed (see --ui-origin)`);
      response.writeHead(204, {
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': ALLOWED_HEADERS,
        'Access-Control-Max-Age': '600',
      });
      response.end();
      return;
    }
    if (request.method !== 'POST') throw new HttpError(405, `method ${request.method} not allowed: use POST`, { Allow: 'POST, OPTIONS' });
    if (origin && !origins.has(origin)) throw new HttpError(403, `origin ${origin} is not allowed (see --ui-origin)`);
    if (tokenDigest && !authorized(request.headers.authorization, tokenDigest)) {
      throw new HttpError(401, 'a bearer token is required (Authorization: Bearer <token>)', { 'WWW-Authenticate': 'Bearer' });
    }
    const payloads = parseBody(await readBody(request, maxBodyBytes));
    let result: Payload[];
    try {
      result = operation === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
    } catch (error) {
      if (error instanceof PayloadCodecError) throw new HttpError(400, error.message);
      throw error;
    }
    send(response, 200, { payloads: result.map(toJson) });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://codec.invalid').pathname;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares digests, so neither a wrong length nor a wrong prefix answers faster. */
function authorized(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!.trim()), expected);
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  // The rest of an oversized body is not read: the answer closes the connection instead.
  const tooLarge = () => new HttpError(413, `the body is over ${limit} bytes`, { Connection: 'close' });
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function parseBody(body: Buffer): Payload[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    // The parser's message would quote the body, which is payload data.
    throw new HttpError(400, 'the body is not JSON; expected {"payloads": [...]}');
  }
  const payloads = (parsed as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(payloads)) throw new HttpError(400, 'expected {"payloads": [...]}');
  return payloads.map((payload, index) => fromJson(payload, index));
}

function fromJson(value: unknown, index: number): Payload {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, `payloads[${index}]: expected an object`);
  const { metadata, data } = value as { metadata?: unknown; data?: unknown };
  const result: Payload = { metadata: {} };
  if (metadata !== undefined && metadata !== null) {
    if (typeof metadata !== 'object' || Array.isArray(metadata)) throw new HttpError(400, `payloads[${index}].metadata: expected an object`);
    for (const [key, encoded] of Object.entries(metadata)) {
      result.metadata![key] = bytes(encoded, `payloads[${index}].metadata.${key}`);
    }
  }
  if (data !== undefined && data !== null) result.data = bytes(data, `payloads[${index}].data`);
  return result;
}

function bytes(value: unknown, path: string): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value)) throw new HttpError(400, `${path}: expected base64`);
  return new Uint8Array(Buffer.from(value, 'base64'));
}

function toJson(payload: Payload): JsonPayload {
  const json: JsonPayload = {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
  };
  if (payload.data && payload.data.length > 0) json.data = Buffer.from(payload.data).toString('base64');
  return json;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
