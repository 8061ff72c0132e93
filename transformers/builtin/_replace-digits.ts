/** `template` with its digits replaced, in order, by those of `digits` (as many as it has). */
export function replaceDigits(template: string, digits: string): string {
  let next = 0;
  return template.replace(/\d/g, () => digits[next++]!);
}
