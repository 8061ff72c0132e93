/**
 * What a transformer throws when a leaf is not something it can take. Both
 * name the path and the transformer, never the value: the message may reach
 * Temporal history and logs. A module of their own so that a built-in that
 * throws them does not import the plan (and with it the sandbox pool).
 */
import type { AttributeType } from '../model/item.ts';
import { formatPath, type Path } from '../model/path.ts';
import type { ScalarType } from './seeded-values.ts';

/** A leaf's type is not one the transformer accepts. The message names the path and the types. */
export class TransformTypeError extends Error {
  override name = 'TransformTypeError';
  /** The leaf's path, formatted (`info.rating`). */
  readonly path: string;
  readonly transformer: string;
  readonly accepts: readonly AttributeType[];
  readonly got: AttributeType;

  constructor(path: Path, transformer: string, accepts: readonly AttributeType[], got: AttributeType) {
    const where = formatPath(path);
    super(`${where}: transformer "${transformer}" accepts ${accepts.join(', ')}; got ${got}`);
    this.path = where;
    this.transformer = transformer;
    this.accepts = accepts;
    this.got = got;
  }
}

/**
 * A leaf has a type the transformer takes, but content it cannot read (an
 * S that is not a date).
 */
export class TransformValueError extends Error {
  override name = 'TransformValueError';
  /** The leaf's path, formatted (`info.release_date`). */
  readonly path: string;
  readonly transformer: string;

  /** `expects` completes "cannot read this S value as …": `an ISO-8601 date`. */
  constructor(path: Path, transformer: string, type: ScalarType, expects: string) {
    const where = formatPath(path);
    super(`${where}: transformer "${transformer}" cannot read this ${type} value as ${expects}`);
    this.path = where;
    this.transformer = transformer;
  }
}

/**
 * A string matches none of a template mapping's templates. The message
 * names the path and the templates (job text), never the value.
 */
export class TemplateMismatchError extends Error {
  override name = 'TemplateMismatchError';
  /** The leaf's path, formatted (`pk`). */
  readonly path: string;
  readonly transformer = 'template';

  /** `templates`: the mapping's templates, listed as messages quote them. */
  constructor(path: Path, templates: string) {
    const where = formatPath(path);
    super(`${where}: the value matches none of the templates ${templates}; \`otherwise: passthrough\` would copy such values as they are`);
    this.path = where;
  }
}
