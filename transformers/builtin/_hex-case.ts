/** The case of hex digits to write: upper only when the input has upper-case hex letters and no lower-case ones. */
export function hexCase(input: string): 'upper' | 'lower' {
  return /[A-F]/.test(input) && !/[a-f]/.test(input) ? 'upper' : 'lower';
}
