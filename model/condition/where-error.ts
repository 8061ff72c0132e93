/**
 * A problem in a job's `where:` as data (offset, offending token, message),
 * and the one place that renders it. The token is job text, never item data.
 */

export interface WhereProblemData {
  /** 0-based offset into the condition. */
  readonly offset: number;
  /** The text at fault, as the job wrote it; empty at the end of the condition. */
  readonly token: string;
  readonly message: string;
}

export class WhereSyntaxError extends Error {
  override name = 'WhereSyntaxError';
  readonly problem: WhereProblemData;

  constructor(offset: number, token: string, message: string) {
    super(message);
    this.problem = { offset, token, message };
  }
}

/** `column 7, ";": a where is a single condition ...`; `line 2, column 3` when the condition spans lines. */
export function renderWhereProblem(where: string, problem: WhereProblemData): string {
  const before = where.slice(0, problem.offset);
  const line = before.split('\n').length;
  const column = problem.offset - (before.lastIndexOf('\n') + 1) + 1;
  const position = where.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
  const token = problem.token === '' ? 'at the end' : JSON.stringify(problem.token);
  return `${position}, ${token}: ${problem.message}`;
}
