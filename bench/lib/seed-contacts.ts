import type { BenchDb } from "./db.ts";
import type { StoreKind } from "./stores.ts";

const CHUNK = 100_000;

/** The id seeded contact i gets: UUID-shaped (version 4 layout), so the API accepts it as one. */
export function contactId(i: number): string {
  return `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
}

/**
 * Contacts [from, to) of account 1 written with SQL from the benchmark process, in
 * transactions of 100,000: id `contactId(i)`, email `contact{i}@bench.example.com` (as
 * engine-fixtures' `email(i)`), subscribed, no field values. Nothing else is written (no
 * trigger events, no counters): a fast way to have an account of that size, not an import.
 */
export async function seedContacts(db: BenchDb, dialect: StoreKind, from: number, to: number): Promise<void> {
  const series =
    dialect === "sqlite"
      ? "(with recursive s(i) as (select cast(? as integer) union all select i + 1 from s where i < ?) select i from s) as s"
      : "generate_series(?::int, ?::int) as s(i)";
  const num = dialect === "sqlite" ? "printf('%012d', s.i)" : "lpad(s.i::text, 12, '0')";
  const now = Date.now();
  for (let lo = from; lo < to; lo += CHUNK) {
    const hi = Math.min(to, lo + CHUNK) - 1;
    await db.all("begin");
    await db.all(
      `insert into contacts (account_id, id, email, status, fields, created_at, updated_at)
       select 1, '00000000-0000-4000-8000-' || ${num}, 'contact' || s.i || '@bench.example.com', 'subscribed', '{}', ${now}, ${now} from ${series}`,
      [lo, hi],
    );
    await db.all("commit");
  }
}
