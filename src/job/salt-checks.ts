/**
 * The job salt beyond its shape: a reference that names a connection must
 * name one of the job's, and a literal salt (the value itself, after
 * `${ENV}` substitution) is worth a warning, since it travels in Temporal
 * with every run; `schedule apply` refuses it unless the job accepts that.
 */
import { didYouMean, type PathIssue } from '../../model/problems.ts';
import { asRecord } from './raw-values.ts';

export const LITERAL_SALT_WARNING =
  'a literal salt travels in every run\'s workflow input, where anyone who can read the Temporal namespace can read it ' +
  '(a ${NAME} is substituted where the job is loaded, so it is a literal too); ' +
  'for real jobs name where the workers read it, such as { env: DYNAMASK_SALT }';

export const LITERAL_SALT_IN_SCHEDULE =
  'a literal salt would be stored in the schedule and in every run it starts, where anyone who can read the Temporal namespace can read it; ' +
  'name where the workers read it, such as { env: DYNAMASK_SALT }, or set allowLiteralSalt: true to accept that (demos)';

/** A reference's `connection` (whose credentials and region the worker uses) must be one of the job's. */
export function checkSaltConnection(raw: Record<string, unknown>, issues: PathIssue[]): void {
  const connection = asRecord(raw.salt)?.connection;
  const names = Object.keys(asRecord(raw.connections) ?? {});
  // Not a string, or no connections to compare with: the schema reported it.
  if (typeof connection !== 'string' || connection === '' || names.length === 0 || names.includes(connection)) return;
  const suggestion = didYouMean(connection, names);
  const hint = suggestion !== '' ? suggestion : `; the connections are ${names.map((name) => `"${name}"`).join(', ')}`;
  issues.push({ path: ['salt', 'connection'], message: `unknown connection "${connection}"${hint}` });
}
