import type { BenchDb } from "./db.ts";
import type { StoreKind } from "./stores.ts";

const CHUNK = 100_000;
const DAY_MS = 86_400_000;

/** The one real contact that entered the automation through the API, and its run. */
export interface RealRun {
  contactId: string;
  runId: number;
  enteredAt: number;
}

/**
 * Rows numbered [from, to] copied from the real contact, its run and its journal rows. Run i
 * entered `i % spreadDays` days before the real one (wake_at and journal times move with it),
 * so `spreadDays` 1 makes exact copies.
 */
function seedSql(dialect: StoreKind): string[] {
  const series =
    dialect === "sqlite"
      ? "(with recursive s(i) as (select cast(? as integer) union all select i + 1 from s where i < ?) select i from s) as s"
      : "generate_series(?::int, ?::int) as s(i)";
  const num = dialect === "sqlite" ? "printf('%012d', s.i)" : "lpad(s.i::text, 12, '0')";
  // The real id is a 36-character UUID; seeded ids keep its first 23 characters and its length.
  const id = `substr(c.id, 1, 23) || '-' || ${num}`;
  // bigint: 29 days in ms overflows PostgreSQL's int4.
  const shift = `(s.i % ?) * cast(${DAY_MS} as bigint)`;
  return [
    `insert into contacts (account_id, id, email, status, fields, created_at, updated_at)
     select c.account_id, ${id}, 'seed' || s.i || '@bench.example.com', c.status, c.fields, c.created_at, c.updated_at
     from contacts c, ${series} where c.account_id = 1 and c.id = ?`,
    `insert into runs (account_id, automation_id, version, contact_id, status, step_id, phase, wake_at, lease_token, lease_until, trigger_event_id, context, entered_at, finished_at, exit_reason)
     select r.account_id, r.automation_id, r.version, ${id.replace("c.id", "r.contact_id")}, r.status, r.step_id, r.phase, r.wake_at - ${shift}, null, null, r.trigger_event_id + s.i, r.context, r.entered_at - ${shift}, null, null
     from runs r, ${series} where r.id = ?`,
    `insert into run_journal (account_id, run_id, step_id, automation_id, version, type, outcome, detail, at, completed_at)
     select j.account_id, r.id, j.step_id, j.automation_id, j.version, j.type, j.outcome, j.detail, j.at + (r.entered_at - ?), j.completed_at + (r.entered_at - ?)
     from run_journal j, runs r where j.run_id = ? and r.automation_id = j.automation_id and r.id > ?`,
  ];
}

/**
 * Seeds runs [from, to] waiting where the real run waits, with SQL from the benchmark process
 * (no server running), in transactions of 100,000: their contacts, runs and journal rows.
 */
export async function seedWaitingRuns(
  db: BenchDb,
  dialect: StoreKind,
  from: number,
  to: number,
  real: RealRun,
  spreadDays = 1,
): Promise<void> {
  const [contacts, runs, journal] = seedSql(dialect);
  for (let lo = from; lo <= to; lo += CHUNK) {
    const hi = Math.min(to, lo + CHUNK - 1);
    const maxRun = await db.num("select max(id) from runs");
    await db.all("begin");
    await db.all(contacts!, [lo, hi, real.contactId]);
    await db.all(runs!, [spreadDays, spreadDays, lo, hi, real.runId]);
    await db.all(journal!, [real.enteredAt, real.enteredAt, real.runId, maxRun]);
    await db.all("commit");
  }
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The report counters those runs would have bumped. Before seeding, every counter row of the
 * automation comes from the one real run; run i repeats it `i % spreadDays` days earlier, so
 * day k gets the real row's n times the runs that entered k days before (the real run
 * counts on day 0). Replaces the automation's rows in one transaction; answers how many.
 */
export async function seedCounters(db: BenchDb, automationId: number, seeded: number, spreadDays: number): Promise<number> {
  const real = await db.all<{ account_id: number; step_id: string; metric: string; day: string; n: number | string }>(
    "select account_id, step_id, metric, day, n from automation_counters where automation_id = ?",
    [automationId],
  );
  // Runs i in [1, seeded] with i % spreadDays = k, plus the real run on day 0.
  const runsOnDay = Array.from({ length: spreadDays }, (_, k) =>
    k === 0 ? Math.floor(seeded / spreadDays) + 1 : k <= seeded ? Math.floor((seeded - k) / spreadDays) + 1 : 0,
  );
  const rows = real
    .flatMap((r) =>
      runsOnDay.map((runs, k) => [
        r.account_id,
        automationId,
        r.step_id,
        r.metric,
        dayOf(Date.parse(r.day) - k * DAY_MS),
        Number(r.n) * runs,
      ]),
    )
    .filter((row) => row[5] !== 0);
  await db.all("begin");
  await db.all("delete from automation_counters where automation_id = ?", [automationId]);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db.all(
      `insert into automation_counters (account_id, automation_id, step_id, metric, day, n) values ${chunk.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}`,
      chunk.flat(),
    );
  }
  await db.all("commit");
  return rows.length;
}
