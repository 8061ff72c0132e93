/**
 * Tokens of a PartiQL WHERE condition as DynamoDB reads it. Keywords are
 * case-insensitive; identifiers are not (DynamoDB attribute names are
 * case-sensitive, quoted or not).
 */
import { WhereSyntaxError } from './where-error.ts';

export type TokenKind = 'identifier' | 'quotedIdentifier' | 'keyword' | 'string' | 'number' | 'punctuation' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** Keywords upper-cased, identifiers and strings decoded, numbers and punctuation as written. */
  readonly value: string;
  /** Offset of the first character in the condition. */
  readonly start: number;
  readonly end: number;
}

/**
 * PartiQL's reserved words (SQL-92 keywords and PartiQL's own, as in
 * partiql-lang-kotlin's lexer). DynamoDB refuses them as bare attribute
 * names (`value = 1` is "not well formed"), so they must be double-quoted.
 */
const KEYWORD_LIST = `absolute action add all allocate alter and any are as asc assertion at authorization avg begin between
bit bit_length by cascade cascaded case cast catalog char character character_length char_length check close coalesce collate
collation column commit connect connection constraint constraints continue convert corresponding count create cross current
current_date current_time current_timestamp current_user cursor date deallocate dec decimal declare default deferrable
deferred delete desc describe descriptor diagnostics disconnect distinct domain double drop else end end-exec escape except
exception exec execute exists external extract date_add date_diff false fetch first float for foreign found from full get
global go goto grant group having identity immediate in indicator initially inner input insensitive insert int integer
intersect interval into is isolation join key language last left level like local lower match max min module names national
natural nchar next no not null nullif numeric octet_length of on only open option or order outer output overlaps pad partial
position precision prepare preserve primary prior privileges procedure public read real references relative restrict revoke
right rollback rows schema scroll section select session session_user set size smallint some space sql sqlcode sqlerror
sqlstate substring sum system_user table temporary then time timestamp to transaction translate translation trim true union
unique unknown update upper usage user using value values varchar varying view when whenever where with work write zone
can_cast can_lossless_cast missing pivot unpivot limit offset tuple remove index let integer2 int2 integer4 int4 integer8
int8 bigint conflict do nothing returning modified new old bool boolean string symbol clob blob struct list sexp bag`;

export const KEYWORDS: ReadonlySet<string> = new Set(KEYWORD_LIST.split(/\s+/).map((word) => word.toUpperCase()));

/** Longest first, so `<>` wins over `<` and `<<` over both. */
const PUNCTUATION = ['<<', '>>', '<>', '!=', '<=', '>=', '||', '=', '<', '>', '(', ')', '[', ']', '{', '}', ',', '.', ':', '+', '-', '*', '/', '%'];

const IDENTIFIER_START = /[A-Za-z_$]/;
const IDENTIFIER_PART = /[A-Za-z0-9_$]/;
const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const start = i;
    if (source.startsWith('--', i) || source.startsWith('/*', i)) {
      throw new WhereSyntaxError(start, source.slice(i, i + 2), 'comments are not allowed in a where');
    }
    if (char === "'" || char === '"') {
      const { value, end } = readQuoted(source, i);
      tokens.push({ kind: char === "'" ? 'string' : 'quotedIdentifier', value, start, end });
      i = end;
      continue;
    }
    const number = NUMBER.exec(source.slice(i));
    if (number !== null && (/\d/.test(char) || char === '.')) {
      i += number[0].length;
      tokens.push({ kind: 'number', value: number[0], start, end: i });
      continue;
    }
    if (IDENTIFIER_START.test(char)) {
      while (i < source.length && IDENTIFIER_PART.test(source[i]!)) i++;
      const word = source.slice(start, i);
      const upper = word.toUpperCase();
      tokens.push(KEYWORDS.has(upper) ? { kind: 'keyword', value: upper, start, end: i } : { kind: 'identifier', value: word, start, end: i });
      continue;
    }
    if (char === ';') {
      throw new WhereSyntaxError(start, ';', 'a where is a single condition: nothing may follow it, and it cannot end a statement');
    }
    if (char === '?') {
      throw new WhereSyntaxError(start, '?', 'parameters are not supported in a where; write the value itself');
    }
    if (char === '`') {
      throw new WhereSyntaxError(start, '`', 'Ion literals are not supported by DynamoDB');
    }
    const punctuation = PUNCTUATION.find((p) => source.startsWith(p, i));
    if (punctuation === undefined) {
      const character = String.fromCodePoint(source.codePointAt(i)!);
      const hint = /\p{L}/u.test(character) ? '; a name with characters other than A-Z, a-z, 0-9, _ and $ must be double-quoted' : '';
      throw new WhereSyntaxError(start, character, `unexpected character${hint}`);
    }
    i += punctuation.length;
    tokens.push({ kind: 'punctuation', value: punctuation, start, end: i });
  }
  tokens.push({ kind: 'end', value: '', start: source.length, end: source.length });
  return tokens;
}

/** A '...' string or a "..." identifier; the quote is escaped by doubling it. */
function readQuoted(source: string, open: number): { value: string; end: number } {
  const quote = source[open]!;
  let value = '';
  let i = open + 1;
  for (;;) {
    const next = source.indexOf(quote, i);
    if (next === -1) {
      const what = quote === "'" ? 'string' : 'quoted name';
      throw new WhereSyntaxError(open, quote, `unterminated ${what}: this ${quote} is never closed`);
    }
    value += source.slice(i, next);
    if (source[next + 1] === quote) {
      value += quote;
      i = next + 2;
    } else {
      return { value, end: next + 1 };
    }
  }
}
