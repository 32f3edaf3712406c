import { type RawBuilder, sql } from "kysely";

/** LIKE's wildcards and its escape character taken literally (the pattern says `escape '\'`). */
function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `column` (stored lower-cased, as addresses are) contains `text`, whatever its case: the same on both databases. */
export function lowerColumnContains(column: string, text: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} like ${`%${escapeLike(text.trim().toLowerCase())}%`} escape '\\'`;
}

/** `column` starts with `text`, case-insensitively. */
export function startsWithIgnoringCase(column: string, text: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${sql.ref(column)}) like ${`${escapeLike(text.toLowerCase())}%`} escape '\\'`;
}
