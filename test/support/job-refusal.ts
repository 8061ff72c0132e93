import { JobFileError } from '../../model/problems.ts';

/** The message a job file is refused with; a job that loads, or any other error, fails the test. */
export function refusalOf(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    if (error instanceof JobFileError) return error.message;
    throw error;
  }
  throw new Error('expected the job to be refused');
}
