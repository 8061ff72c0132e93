/**
 * `dynamask codec-server`: serves the payload codec's /encode and /decode to
 * the Temporal UI and the `temporal` CLI, with the keys the workers use
 * (DYNAMASK_CODEC_KEY_PATH or DYNAMASK_CODEC_KEY_DATA), until interrupted.
 *
 *   dynamask codec-server --port 8888
 *   temporal workflow show -w <id> --codec-endpoint http://127.0.0.1:8888
 *   temporal server start-dev --ui-codec-endpoint http://127.0.0.1:8888
 */
import { once } from 'node:events';
import type { Command } from 'commander';
import { codecKeysFromEnv, CodecKeyError, CODEC_KEY_DATA_ENV, CODEC_KEY_PATH_ENV } from '../temporal/codec-keys.ts';
import { DEFAULT_UI_ORIGIN, startCodecServer } from '../temporal/codec-server.ts';
import { AesGcmPayloadCodec } from '../temporal/payload-codec.ts';

export const CODEC_TOKEN_ENV = 'DYNAMASK_CODEC_TOKEN';
export const DEFAULT_CODEC_PORT = 8888;

interface CodecServerFlags {
  port: number;
  host: string;
  uiOrigin?: string[];
  token?: string;
}

export interface CodecServerCommandOptions {
  print?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Stops the server; default: SIGINT or SIGTERM. */
  signal?: AbortSignal;
}

export function registerCodecServerCommand(program: Command, options: CodecServerCommandOptions = {}): Command {
  const print = options.print ?? ((line: string) => console.log(line));
  const env = options.env ?? process.env;
  return program
    .command('codec-server')
    .description(`serve /encode and /decode for the Temporal UI and CLI, with the codec keys of ${CODEC_KEY_PATH_ENV} or ${CODEC_KEY_DATA_ENV}`)
    .option('--port <port>', 'port to listen on (0: any free port)', (value) => parsePort(value), DEFAULT_CODEC_PORT)
    .option('--host <host>', 'address to listen on; anyone who reaches it can decode every payload', '127.0.0.1')
    .option('--ui-origin <origin>', `origin of a Temporal UI allowed to call from a browser (repeatable; default ${DEFAULT_UI_ORIGIN})`, (value, previous: string[] = []) => [...previous, value])
    .option('--token <token>', `bearer token callers must send (default: ${CODEC_TOKEN_ENV}; prefer the variable, a flag shows in ps)`)
    .action(async (flags: CodecServerFlags, command: Command) => {
      if (Number.isNaN(flags.port)) command.error('--port: expected a whole number from 0 to 65535', { exitCode: 2 });
      const origins = flags.uiOrigin ?? [DEFAULT_UI_ORIGIN];
      for (const origin of origins) {
        const problem = originProblem(origin);
        if (problem) command.error(`--ui-origin ${origin}: ${problem}`, { exitCode: 2 });
      }
      let keys;
      try {
        keys = await codecKeysFromEnv(env);
      } catch (error) {
        if (error instanceof CodecKeyError) command.error(error.message, { exitCode: 2 });
        throw error;
      }
      if (!keys) command.error(`no codec keys: set ${CODEC_KEY_PATH_ENV} (a key file) or ${CODEC_KEY_DATA_ENV}, as for the workers`, { exitCode: 2 });
      const token = flags.token ?? (env[CODEC_TOKEN_ENV] || undefined);

      const server = await startCodecServer({
        codec: new AesGcmPayloadCodec(keys),
        port: flags.port,
        host: flags.host,
        origins,
        ...(token ? { token } : {}),
        log: (line) => console.error(line),
      });
      print(`codec server on ${server.url} (keys ${keys.map((key) => `"${key.id}"`).join(', ')}; UI origins ${origins.join(', ')}; ${token ? 'bearer token required' : 'no token'})`);
      print(`  temporal workflow show -w <workflow id> --codec-endpoint ${server.url}${token ? ` --codec-auth "Bearer $${CODEC_TOKEN_ENV}"` : ''}`);
      if (!token && !isLoopback(flags.host)) print(`warning: listening on ${flags.host} without a token: anyone who reaches it can decode every payload`);

      await stopped(options.signal);
      await server.close();
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  return Number.isInteger(port) && port >= 0 && port <= 65535 && /^\d+$/.test(value) ? port : Number.NaN;
}

/** An origin is scheme://host[:port], exactly as the browser sends it in the Origin header. */
function originProblem(origin: string): string | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return 'expected an origin such as http://localhost:8233';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'expected an http:// or https:// origin';
  if (url.origin !== origin) return `expected the origin alone, as the browser sends it: ${url.origin}`;
  return undefined;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function stopped(signal: AbortSignal | undefined): Promise<unknown> {
  if (signal) return signal.aborted ? Promise.resolve() : once(signal, 'abort');
  return Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
}
