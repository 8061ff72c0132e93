/**
 * Format-preserving, keyed, collision-free permutation of identifiers (FF1
 * of NIST SP 800-38G Rev. 1 underneath): the primitive for pseudonymising
 * identifiers inside keys so that item collections, GSI keys and references
 * keep joining and no two items meet on one key.
 */
export { createPermutation, UnsupportedFormatError, type Permutation, type UnsupportedReason } from './permutation.ts';
export type { FormatName } from './formats.ts';
export { FPE_LABEL } from './keys.ts';
