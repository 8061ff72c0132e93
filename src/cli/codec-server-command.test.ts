import { randomBytes } from 'node:crypto';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { registerCodecServerCommand } from './codec-server-command.ts';

const KEYS = `2026-07=${randomBytes(32).toString('base64')}`;

function program(env: NodeJS.ProcessEnv, signal?: AbortSignal) {
  const lines: string[] = [];
  const errors: string[] = [];
  const root = new Command('dynamask').exitOverride().configureOutput({ writeErr: (text) => errors.push(text), writeOut: () => {} });
  registerCodecServerCommand(root, { print: (line) => lines.push(line), env, ...(signal ? { signal } : {}) });
  return { root, lines, errors };
}

async function waitFor<T>(get: () => T | undefined): Promise<T> {
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('dynamask codec-server', () => {
  it('serves the keys of the environment with the token of DYNAMASK_CODEC_TOKEN until stopped', async () => {
    const stop = new AbortController();
    const { root, lines } = program({ DYNAMASK_CODEC_KEY_DATA: KEYS, DYNAMASK_CODEC_TOKEN: 'tok' }, stop.signal);
    const running = root.parseAsync(['codec-server', '--port', '0', '--ui-origin', 'http://localhost:8233', '--ui-origin', 'https://temporal.example.com'], { from: 'user' });
    const first = await waitFor(() => lines[0]);
    const url = /^codec server on (http:\/\/127\.0\.0\.1:\d+) /.exec(first)?.[1];
    expect(first).toBe(`codec server on ${url} (keys "2026-07"; UI origins http://localhost:8233, https://temporal.example.com; bearer token required)`);
    expect(lines[1]).toBe(`  temporal workflow show -w <workflow id> --codec-endpoint ${url} --codec-auth "Bearer $DYNAMASK_CODEC_TOKEN"`);

    const payload = defaultPayloadConverter.toPayload('x');
    const body = JSON.stringify({ payloads: [{ metadata: { encoding: Buffer.from(payload.metadata!.encoding!).toString('base64') }, data: Buffer.from(payload.data!).toString('base64') }] });
    const denied = await fetch(`${url}/encode`, { method: 'POST', body });
    expect(denied.status).toBe(401);
    const encoded = await fetch(`${url}/encode`, { method: 'POST', body, headers: { authorization: 'Bearer tok' } });
    expect(encoded.status).toBe(200);

    stop.abort();
    await running;
    await expect(fetch(`${url}/encode`, { method: 'POST', body })).rejects.toThrow();
  });

  it('refuses to start without keys, or with a bad flag, with exit code 2', async () => {
    const cases: [NodeJS.ProcessEnv, string[], string][] = [
      [{}, [], 'no codec keys: set DYNAMASK_CODEC_KEY_PATH (a key file) or DYNAMASK_CODEC_KEY_DATA, as for the workers'],
      [{ DYNAMASK_CODEC_KEY_DATA: 'k=short' }, [], 'DYNAMASK_CODEC_KEY_DATA, line 1: key "k" is 3 bytes; AES-256 needs 32 (make one with: openssl rand -base64 32)'],
      [{ DYNAMASK_CODEC_KEY_DATA: KEYS }, ['--port', 'http'], '--port: expected a whole number from 0 to 65535'],
      [{ DYNAMASK_CODEC_KEY_DATA: KEYS }, ['--ui-origin', 'http://localhost:8233/'], '--ui-origin http://localhost:8233/: expected the origin alone, as the browser sends it: http://localhost:8233'],
      [{ DYNAMASK_CODEC_KEY_DATA: KEYS }, ['--ui-origin', '*'], '--ui-origin *: expected an origin such as http://localhost:8233'],
    ];
    for (const [env, args, message] of cases) {
      const { root, errors } = program(env, AbortSignal.abort());
      const error = await root.parseAsync(['codec-server', '--port', '0', ...args], { from: 'user' }).then(() => undefined, (caught: unknown) => caught);
      expect(error, message).toBeInstanceOf(CommanderError);
      expect((error as CommanderError).exitCode).toBe(2);
      expect(errors.join('')).toContain(message);
    }
  });
});
