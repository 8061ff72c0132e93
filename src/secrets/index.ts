/**
 * Secrets by reference, resolved on the worker: the reference type and its
 * YAML form live in model/secret-ref.ts (workflows carry it); this folder
 * reads the value where the reference points.
 */
export { DEFAULT_SECRET_TTL_MS, SecretResolver, secretResolverOptionsFromEnv, type ResolveContext, type SecretResolverOptions } from './secret-resolver.ts';
export { SecretError, renderSecretError, type SecretProblem } from './secret-error.ts';
export { describeSecretRef, isSecretRef, secretRefSchema, secretSourceSchema, type SecretRef, type SecretSource } from '../../model/secret-ref.ts';
