/**
 * Which transformers a plan's scripts can call as `dynamask.<name>(value,
 * options)`: those of the registry that built the plan, as far as the
 * sandbox process can run them.
 *
 * Helpers run in the sandbox process, a forked child that no function of
 * the worker can reach. It imports the definitions it runs itself, and the
 * one set it can import is the built-ins (a registry assembled at run time,
 * by a test or a bench, has no module to import it from). So the plan's
 * registry decides which names exist: each of its definitions that is a
 * built-in (the very object, so the same code) is a helper; any other (a
 * registry's own, or another transformer under a built-in's name) is listed
 * apart, so that a script calling it fails saying why rather than "not a
 * helper", and a built-in the registry leaves out is no helper at all.
 */
import { builtinRegistry } from '../builtin/index.ts';
import type { TransformerRegistry } from '../registry.ts';

/** The definitions the sandbox process has: what it runs a helper with. */
export const sandboxRegistry: TransformerRegistry = builtinRegistry;

export interface SandboxHelpers {
  /** Helpers the sandbox runs. */
  readonly names: readonly string[];
  /** Transformers of the plan's registry that the sandbox cannot run. */
  readonly unavailable: readonly string[];
}

export function sandboxHelpers(registry: TransformerRegistry): SandboxHelpers {
  const names: string[] = [];
  const unavailable: string[] = [];
  for (const definition of registry.definitions) {
    (sandboxRegistry.get(definition.name) === definition ? names : unavailable).push(definition.name);
  }
  return { names, unavailable };
}
