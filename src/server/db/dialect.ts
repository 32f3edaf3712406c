import type { Expression, Kysely, RawBuilder, SqlBool } from "kysely";
import type { Database } from "./schema.ts";

export type DialectName = "sqlite" | "postgres";

export type ColumnType = "bigint" | "text" | "int";

/** Any Kysely instance or transaction, whatever its tables. */
export interface HasAdapter {
  getExecutor(): { readonly adapter: object };
}

/** Row locks a read can take, where the database has them. */
export type RowLock = "update" | "share" | "update skip locked";

/**
 * Everything SQLite and PostgreSQL do differently, in one object per database (as Kysely's
 * `DialectAdapter` does for SQL syntax): domain code asks the dialect, it never branches on
 * the database's name. One file per database: sqlite-dialect.ts, postgres-dialect.ts;
 * `dialectOf(db)` (dialect-of.ts) tells which one a Kysely instance talks to.
 */
export interface Dialect {
  readonly name: DialectName;
  /** `column in (values)`, in the form this database plans and caches best. */
  inList(column: string, values: readonly (string | number)[], type: ColumnType): Expression<SqlBool>;
  /** Many rows as a relation to join an UPDATE against. */
  rowsRelation(types: readonly ColumnType[], rows: readonly unknown[][]): RawBuilder<unknown>;
  /**
   * What follows the join condition of an `UPDATE … FROM rowsRelation` on `column` so the
   * rows are looked up by key: PostgreSQL ` and column = any(values)` (the join alone may be
   * planned as a hash join over the whole table); SQLite nothing (given the same restriction
   * it scanned the table once per row).
   */
  joinedUpdateKeys(column: string, values: readonly (string | number)[], type: ColumnType): RawBuilder<unknown>;
  /** The relation an `insert … select` reads its rows from, and how its parameters are passed. */
  bulkSource(columns: readonly string[], types: Readonly<Record<string, ColumnType | undefined>>): string;
  /** The parameters of `bulkSource` for these rows (each an array of `columnCount` values). */
  bulkParams(rows: readonly unknown[][], columnCount: number): unknown[];
  /** A fixed SQL text written with `?` placeholders, as this database's driver takes it. */
  placeholders(text: string): string;
  /** ` for update` and the like after a select, or nothing where the database has one writer. */
  rowLock(lock: RowLock, of?: string): RawBuilder<unknown>;
  /** The row's version as read (PostgreSQL's xmin), to check at write time that nobody changed it; null where writes cannot interleave. */
  rowVersion(): RawBuilder<string | null>;
  /** Holds a lock keyed by `key` until the transaction ends (SQLite: its one writer already does). */
  lockForTransaction(trx: Kysely<Database>, key: number): Promise<void>;
  /** Takes that lock if it is free, without waiting; answers whether this transaction holds it (SQLite: always). */
  tryLockForTransaction(trx: Kysely<Database>, key: number): Promise<boolean>;
  /** Removes one custom field's value from every contact of an account. */
  removeFieldValues(db: Kysely<Database>, accountId: number, fieldId: number): Promise<void>;
  /** A condition on one custom field value inside `contacts.fields` (JSON text). */
  fieldValue(fieldId: number, value?: string | number | boolean): RawBuilder<boolean>;
  /** After a row was inserted with an explicit id: keeps the table's next generated id clear of it. */
  syncSequence(trx: Kysely<Database>, table: string, column: string): Promise<void>;
  /** Refreshes the planner's statistics of a table that grew fast, where the planner needs them. */
  analyze(db: Kysely<Database>, table: string): Promise<void>;
  /** How API writes that arrive together share a transaction: a savepoint each (one failing write undone alone), or none (a failure reruns each alone). */
  readonly groupCommit: { mode: "savepoints" | "rerun-alone"; lanes: number };
  /** Per-database defaults of the background loops (measured: docs/adr/). */
  readonly defaults: { engineBatch: number; idleMs: number; maxEngineConcurrency: number };
  /** Whether other processes can wake this one (LISTEN/NOTIFY) — only one process uses a SQLite file. */
  readonly sharedByProcesses: boolean;
}
