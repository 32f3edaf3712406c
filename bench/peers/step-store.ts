import SQLite from "better-sqlite3";
import pg from "pg";

/** What a peer job gets to work on: one step of one "run" for one contact. */
export interface StepJob {
  run: number;
  contact: string;
  /** In the chain, each job enqueues the next step; a delayed job stands alone. */
  chain: boolean;
}

export type StepName = "u" | "a" | "e";

/** The field id update_field writes (contacts.fields is keyed by field id). */
const AGE_FIELD = "1";
const STEP_TYPE: Record<StepName, string> = { u: "update_field", a: "add_to_lists", e: "send_email" };
const EMAIL = JSON.stringify({ subject: "Hi", text: "Hello" });

/**
 * The engine's step effects written the way a BullMQ user would write them: one transaction
 * per job, on Mailwright's own tables (the schema its migrations created), each step with a
 * `run_journal` row, as Mailwright journals every step:
 * - `u` update_field: read the contact, set the field in its JSON, write it back;
 * - `a` add_to_lists: insert the membership (ignored when present);
 * - `e` send_email: insert a queued `messages` row (delivery is not part of the step).
 * What Mailwright also writes per step and this does not: the trigger event of the contact
 * change, report counters, and the run row's advance (BullMQ keeps that state in Redis).
 */
export interface StepStore {
  apply(step: StepName, job: StepJob, automationId: number): Promise<void>;
  close(): Promise<void>;
}

const JOURNAL =
  "insert into run_journal (account_id, run_id, step_id, automation_id, version, type, outcome, detail, at, completed_at) values (1, ?, ?, ?, 1, ?, 'done', null, ?, ?)";
const MESSAGE = `insert into messages (account_id, run_id, step_id, automation_id, contact_id, to_email, status, email, context, created_at, attempts, next_attempt_at)
  values (1, ?, 'e', ?, ?, ?, 'queued', ?, '{}', ?, 0, ?)`;

function withAge(fields: string): string {
  return JSON.stringify({ ...(JSON.parse(fields) as Record<string, unknown>), [AGE_FIELD]: 1 });
}

/** better-sqlite3 with connect.ts's pragmas; statements prepared once (as Mailwright's cache does). */
function sqliteSteps(file: string, listId: number): StepStore {
  const db = new SQLite(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  const st = {
    contact: db.prepare<[string], { fields: string; email: string }>("select fields, email from contacts where account_id = 1 and id = ?"),
    update: db.prepare("update contacts set fields = ?, updated_at = ? where account_id = 1 and id = ?"),
    member: db.prepare(
      "insert into contact_lists (account_id, contact_id, list_id, created_at) values (1, ?, ?, ?) on conflict do nothing",
    ),
    message: db.prepare(MESSAGE),
    journal: db.prepare(JOURNAL),
  };
  const apply = db.transaction((step: StepName, job: StepJob, automationId: number) => {
    const now = Date.now();
    if (step === "u") {
      const c = st.contact.get(job.contact);
      if (!c) throw new Error(`no contact ${job.contact}`);
      st.update.run(withAge(c.fields), now, job.contact);
    } else if (step === "a") {
      st.member.run(job.contact, listId, now);
    } else {
      const c = st.contact.get(job.contact);
      if (!c) throw new Error(`no contact ${job.contact}`);
      st.message.run(job.run, automationId, job.contact, c.email, EMAIL, now, now);
    }
    st.journal.run(job.run, step, automationId, STEP_TYPE[step], now, now);
  });
  return {
    // BEGIN IMMEDIATE: a deferred transaction that reads first fails at once (SQLITE_BUSY) when
    // another process wrote meanwhile, instead of waiting for the lock.
    apply: async (step, job, automationId) => apply.immediate(step, job, automationId),
    close: async () => void db.close(),
  };
}

function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/** A pg pool; each job checks out a client for its transaction. */
function postgresSteps(url: string, listId: number, poolSize: number): StepStore {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on("error", () => undefined);
  const sql = {
    contact: numbered("select fields, email from contacts where account_id = 1 and id = ?"),
    update: numbered("update contacts set fields = ?, updated_at = ? where account_id = 1 and id = ?"),
    member: numbered("insert into contact_lists (account_id, contact_id, list_id, created_at) values (1, ?, ?, ?) on conflict do nothing"),
    message: numbered(MESSAGE),
    journal: numbered(JOURNAL),
  };
  return {
    async apply(step, job, automationId) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const now = Date.now();
        if (step === "a") {
          await client.query(sql.member, [job.contact, listId, now]);
        } else {
          const c = (await client.query<{ fields: string; email: string }>(sql.contact, [job.contact])).rows[0];
          if (!c) throw new Error(`no contact ${job.contact}`);
          if (step === "u") await client.query(sql.update, [withAge(c.fields), now, job.contact]);
          else await client.query(sql.message, [job.run, automationId, job.contact, c.email, EMAIL, now, now]);
        }
        await client.query(sql.journal, [job.run, step, automationId, STEP_TYPE[step], now, now]);
        await client.query("commit");
      } catch (err) {
        await client.query("rollback").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

export function openStepStore(url: string, listId: number, poolSize: number): StepStore {
  return url.startsWith("postgres") ? postgresSteps(url, listId, poolSize) : sqliteSteps(url.slice("sqlite:".length), listId);
}
