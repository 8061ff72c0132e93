/**
 * The codec server over real HTTP on loopback, called the way the Temporal
 * UI calls it (JSON payloads with base64 bytes, an x-namespace header, a
 * CORS preflight from the UI's origin) and the way the CLI does (no Origin,
 * an Authorization header from --codec-auth).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { Canaries } from '../../test/support/canary.ts';
import { startCodecServer, type CodecServer } from './codec-server.ts';
import { AesGcmPayloadCodec } from './payload-codec.ts';

const UI = 'http://localhost:8233';
const TOKEN = 'codec-token-for-tests';
const canaries = new Canaries();
const secret = canaries.string('payload value');

const key = (id: string) => ({ id, key: new Uint8Array(randomBytes(32)) });
const codec = new AesGcmPayloadCodec([key('k1')]);

/** A payload as the UI sends it: protobuf JSON, bytes in base64. */
function json(payload: Payload) {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, bytes]) => [name, Buffer.from(bytes).toString('base64')])),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  };
}

describe('the codec server', () => {
  let open: CodecServer;
  let guarded: CodecServer;

  beforeAll(async () => {
    [open, guarded] = await Promise.all([
      startCodecServer({ codec, origins: [UI], maxBodyBytes: 64 * 1024 }),
      startCodecServer({ codec, origins: [UI], token: TOKEN }),
    ]);
  });
  afterAll(async () => Promise.all([open?.close(), guarded?.close()]));

  const post = (server: CodecServer, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('encodes then decodes payloads exactly as the UI sends them', async () => {
    const payloads = [json(defaultPayloadConverter.toPayload({ salt: secret })), json(defaultPayloadConverter.toPayload('plain'))];
    const encoded = await post(open, '/encode', { payloads }, { origin: UI });
    expect(encoded.status).toBe(200);
    expect(encoded.headers.get('access-control-allow-origin')).toBe(UI);
    expect(encoded.headers.get('content-type')).toBe('application/json');
    const encrypted = (await encoded.json()) as { payloads: ReturnType<typeof json>[] };
    expect(JSON.stringify(encrypted)).not.toContain(secret);
    expect(Buffer.from(encrypted.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');

    const decoded = await post(open, '/default/decode', encrypted, { origin: UI });
    expect(decoded.status).toBe(200);
    expect(await decoded.json()).toEqual({ payloads });
  });

  it('decodes what a worker with the same keys encrypted, and passes plain payloads through', async () => {
    const plain = defaultPayloadConverter.toPayload({ salt: secret });
    const [encrypted] = await codec.encode([plain]);
    const response = await post(open, '/decode', { payloads: [json(encrypted!), json(plain)] });
    expect(await response.json()).toEqual({ payloads: [json(plain), json(plain)] });
  });

  it('answers the UI\'s CORS preflight, and only for its origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${open.url}/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' },
      });
    const allowed = await preflight(UI);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(UI);
    expect(allowed.headers.get('access-control-allow-headers')).toBe('content-type, x-namespace, authorization');
    expect(allowed.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');

    const other = await preflight('https://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect((await post(open, '/decode', { payloads: [] }, { origin: 'https://evil.example' })).status).toBe(403);
  });

  it('needs the bearer token when one is configured; the preflight does not', async () => {
    const body = { payloads: [json(defaultPayloadConverter.toPayload('x'))] };
    const missing = await post(guarded, '/encode', body);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post(guarded, '/encode', body, { authorization: 'Bearer not-the-token' })).status).toBe(401);
    expect((await post(guarded, '/encode', body, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await post(guarded, '/encode', body, { authorization: TOKEN })).status).toBe(401);
    expect((await post(guarded, '/encode', body, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    const preflight = await fetch(`${guarded.url}/encode`, { method: 'OPTIONS', headers: { origin: UI, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
  });

  it('says which key is missing for a payload under an unknown key id', async () => {
    const [foreign] = await new AesGcmPayloadCodec([key('2027-01')]).encode([defaultPayloadConverter.toPayload({ salt: secret })]);
    const response = await post(open, '/decode', { payloads: [json(foreign!)] });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: `a payload is encrypted under key "2027-01", which is not among this process's codec keys ("k1"); add it to the key file to read it`,
    });
  });

  it('answers 404, 405, 400 and 413 for the rest, without echoing the body', async () => {
    expect((await post(open, '/download', { payloads: [] })).status).toBe(404);
    const get = await fetch(`${open.url}/decode`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    const notJson = await post(open, '/decode', `${secret} is not JSON`);
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).not.toContain(secret);
    expect(await (await post(open, '/decode', { payload: [] })).json()).toEqual({ error: 'expected {"payloads": [...]}' });
    expect(await (await post(open, '/decode', { payloads: [{ data: 'not base64!' }] })).json()).toEqual({ error: 'payloads[0].data: expected base64' });
    expect((await post(open, '/decode', { payloads: [{ data: 'A'.repeat(128 * 1024) }] })).status).toBe(413);
  });
});
