// `npm run docs`: regenerates the README's transformer and recognizer references.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { builtinRegistry } from '../../transformers/builtin/index.ts';
import { updateRecognizerReference } from './recognizer-reference.ts';
import { updateReadme } from './transformer-reference.ts';

const path = fileURLToPath(new URL('../../README.md', import.meta.url));
await writeFile(path, updateRecognizerReference(updateReadme(await readFile(path, 'utf8'), builtinRegistry.definitions)));
console.log(`updated ${path}`);
