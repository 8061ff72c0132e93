/**
 * V8 code cache by source text, for the sandbox process: a plan's isolate
 * compiles its scripts once, and an isolate made later for the same code
 * (another plan, or after a reset) starts from the cached compilation.
 */
import ivm from 'isolated-vm';

type CompiledScript = ivm.Script & { cachedData?: ivm.ExternalCopy<ArrayBuffer>; cachedDataRejected?: boolean };

export class CompileCache {
  readonly #data = new Map<string, ivm.ExternalCopy<ArrayBuffer>>();
  readonly #limit: number;

  constructor(limit = 256) {
    this.#limit = limit;
  }

  compile(isolate: ivm.Isolate, source: string, origin: ivm.ScriptOrigin): ivm.Script {
    const cached = this.#data.get(source);
    if (cached !== undefined) {
      const script = isolate.compileScriptSync(source, { ...origin, cachedData: cached }) as CompiledScript;
      if (!script.cachedDataRejected) {
        // Most recently used last, so eviction takes the least recently used.
        this.#data.delete(source);
        this.#data.set(source, cached);
        return script;
      }
      this.#data.delete(source);
    }
    const script = isolate.compileScriptSync(source, { ...origin, produceCachedData: true }) as CompiledScript;
    if (script.cachedData !== undefined) {
      if (this.#data.size >= this.#limit) this.#data.delete(this.#data.keys().next().value!);
      this.#data.set(source, script.cachedData);
    }
    return script;
  }
}
