import type { Kysely } from "kysely";
import type { Store } from "../db/connect.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../clock.ts";
import { errors, type FieldErrors } from "../errors.ts";
import type { Definition } from "../../core/flow/schema.ts";
import { type Issue, validateDefinition } from "../../core/flow/validate.ts";
import { senderAddressIssues } from "../../core/flow/sender-addresses.ts";
import { type AutomationRow, findAutomation, loadCatalog, loadDefinition } from "./automations-repo.ts";
import { simulate, type SimulateInput } from "./simulate.ts";
import { type Bump, bumpCounters } from "../db/counters.ts";
import type { Renderer } from "../email/render-pool.ts";

type Db = Kysely<Database>;

export interface AutomationView extends Definition {
  entry_step_id: string | null;
  settings: NonNullable<Definition["settings"]>;
  id: number;
  status: AutomationRow["status"];
  version: number;
  created_at: string;
  updated_at: string;
}

export type InFlight = "move" | "keep";

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function view(row: AutomationRow, def: Definition): AutomationView {
  return {
    id: row.id,
    name: def.name,
    status: row.status,
    version: row.version,
    trigger: def.trigger,
    entry_step_id: def.entry_step_id ?? null,
    steps: def.steps,
    settings: def.settings ?? {},
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
  };
}

/** Activation problems in the API's shape: step problems under `steps`, trigger ones under `trigger`. */
function toFieldErrors(issues: Issue[]): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) (out[i.message.startsWith("trigger:") ? "trigger" : "steps"] ??= []).push(i.message);
  return out;
}

/**
 * Ends the automation's live runs that no worker holds right now (the executor ends the
 * rest), optionally only those on `version` whose step is not in `keepSteps`. Works in
 * chunks chosen by the database, so disabling an automation with a million waiting runs
 * never holds them all in memory; bumps are summed per key, so one counter row per reason.
 */
async function exitIdleRuns(
  trx: Db,
  accountId: number,
  automationId: number,
  reason: string,
  now: number,
  only?: { version: number; keepSteps: readonly string[] },
) {
  for (;;) {
    let chunk = trx
      .selectFrom("runs")
      .select("id")
      .where("account_id", "=", accountId)
      .where("automation_id", "=", automationId)
      .where("status", "=", "active")
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]));
    if (only) {
      chunk = chunk.where("version", "=", only.version).where("step_id", "is not", null);
      if (only.keepSteps.length > 0) chunk = chunk.where("step_id", "not in", [...only.keepSteps]);
    }
    const ids = (await chunk.limit(1000).execute()).map((r) => r.id);
    if (ids.length === 0) return;
    const gone = await trx
      .updateTable("runs")
      .set({ status: "exited", exit_reason: reason, finished_at: now, wake_at: null, lease_token: null, lease_until: null })
      .where("account_id", "=", accountId)
      .where("id", "in", ids)
      .where("status", "=", "active")
      .returning(["step_id", "phase"])
      .execute();
    const bumps: Bump[] = gone.map(() => ({ account_id: accountId, automation_id: automationId, step_id: "", metric: `exited:${reason}`, at: now }));
    // A run leaving a delay never completes it: the step's "waiting" must drop.
    for (const r of gone) {
      if (r.phase === "waiting" && r.step_id) bumps.push({ account_id: accountId, automation_id: automationId, step_id: r.step_id, metric: "abandoned", at: now });
    }
    await bumpCounters(trx, bumps);
  }
}

export function automationsService(store: Store, clock: Clock, renderer: Renderer, opts: { maxAutomations: number; onChange?: () => void }) {
  const { db } = store;

  async function mustFind(trx: Db, accountId: number, id: number): Promise<AutomationRow> {
    const row = await findAutomation(trx, accountId, id);
    if (!row) throw errors.notFound();
    return row;
  }

  async function current(trx: Db, row: AutomationRow): Promise<AutomationView> {
    return view(row, await loadDefinition(trx, row.account_id, row.id, row.version));
  }

  /** Even a draft may not hold a From or Reply-To that is not one mailbox. */
  function refuseUnsafeSenders(def: Definition): void {
    const issues = senderAddressIssues(def);
    if (issues.length > 0) throw errors.validation(toFieldErrors(issues));
  }

  async function checkValid(trx: Db, accountId: number, def: Definition): Promise<void> {
    const issues = validateDefinition(def, await loadCatalog(trx, accountId));
    if (issues.length > 0) throw errors.validation(toFieldErrors(issues));
  }

  async function setStatus(accountId: number, id: number, to: AutomationRow["status"], allowedFrom: AutomationRow["status"][]) {
    const result = await db.transaction().execute(async (trx) => {
      const row = await mustFind(trx, accountId, id);
      if (row.status === to) return current(trx, row);
      if (!allowedFrom.includes(row.status)) throw errors.validation({ status: [`cannot change from ${row.status} to ${to}`] });
      if (to === "active") await checkValid(trx, accountId, await loadDefinition(trx, accountId, id, row.version));
      // The status changes first: on PostgreSQL this waits for any step in flight (it holds the
      // automation FOR SHARE), so the runs below are exactly those not mid-step.
      const updated = await trx
        .updateTable("automations")
        .set({ status: to, updated_at: clock.now(), ...(to === "active" ? { published: 1 } : {}) })
        .where("account_id", "=", accountId)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      // Runs waiting in a delay leave at once; a run mid-step finishes that step, then the executor removes it.
      if (to === "disabled") await exitIdleRuns(trx, accountId, id, "automation_disabled", clock.now());
      return current(trx, updated);
    });
    opts.onChange?.();
    return result;
  }

  return {
    async list(accountId: number): Promise<AutomationView[]> {
      const rows = await db.selectFrom("automations").selectAll().where("account_id", "=", accountId).where("deleted_at", "is", null).orderBy("id").execute();
      return Promise.all(rows.map((r) => current(db, r)));
    },

    async get(accountId: number, id: number): Promise<AutomationView> {
      return current(db, await mustFind(db, accountId, id));
    },

    async create(accountId: number, def: Definition): Promise<AutomationView> {
      refuseUnsafeSenders(def);
      return db.transaction().execute(async (trx) => {
        const count = await trx
          .selectFrom("automations")
          .select((eb) => eb.fn.countAll<number | string>().as("n"))
          .where("account_id", "=", accountId)
          .where("deleted_at", "is", null)
          .executeTakeFirstOrThrow();
        if (Number(count.n) >= opts.maxAutomations) throw errors.validation({ base: [`You can have up to ${opts.maxAutomations} automations`] });
        const now = clock.now();
        const row = await trx
          .insertInto("automations")
          .values({ account_id: accountId, name: def.name, status: "draft", version: 1, published: 0, trigger_type: def.trigger.type, created_at: now, updated_at: now, deleted_at: null })
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx.insertInto("automation_versions").values({ account_id: accountId, automation_id: row.id, version: 1, definition: JSON.stringify(def), created_at: now }).execute();
        return view(row, def);
      });
    },

    /**
     * Edits the definition. A draft that never ran changes in place; an automation that was
     * ever live publishes a new immutable version, and runs in flight either move onto it by
     * step id (a run whose step is gone exits `step_removed`) or keep their version.
     */
    async update(accountId: number, id: number, patch: Partial<Definition>, inFlight: InFlight = "move"): Promise<AutomationView> {
      const result = await db.transaction().execute(async (trx) => {
        const row = await mustFind(trx, accountId, id);
        const before = await loadDefinition(trx, accountId, id, row.version);
        const def: Definition = { ...before, ...patch };
        refuseUnsafeSenders(def);
        const now = clock.now();
        if (!row.published) {
          await trx
            .updateTable("automation_versions")
            .set({ definition: JSON.stringify(def), created_at: now })
            .where("account_id", "=", accountId)
            .where("automation_id", "=", id)
            .where("version", "=", row.version)
            .execute();
          const updated = await trx
            .updateTable("automations")
            .set({ name: def.name, trigger_type: def.trigger.type, updated_at: now })
            .where("id", "=", id)
            .where("account_id", "=", accountId)
            .returningAll()
            .executeTakeFirstOrThrow();
          return view(updated, def);
        }
        await checkValid(trx, accountId, def);
        const version = row.version + 1;
        await trx.insertInto("automation_versions").values({ account_id: accountId, automation_id: id, version, definition: JSON.stringify(def), created_at: now }).execute();
        if (inFlight === "move") {
          // Runs on the version being replaced move; runs an earlier edit kept stay kept.
          await exitIdleRuns(trx, accountId, id, "step_removed", now, { version: row.version, keepSteps: def.steps.map((s) => s.id) });
          await trx
            .updateTable("runs")
            .set({ version })
            .where("account_id", "=", accountId)
            .where("automation_id", "=", id)
            .where("version", "=", row.version)
            .where("status", "=", "active")
            .execute();
        }
        const updated = await trx
          .updateTable("automations")
          .set({ name: def.name, trigger_type: def.trigger.type, version, updated_at: now })
          .where("id", "=", id)
          .where("account_id", "=", accountId)
          .returningAll()
          .executeTakeFirstOrThrow();
        return view(updated, def);
      });
      opts.onChange?.();
      return result;
    },

    async delete(accountId: number, id: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await mustFind(trx, accountId, id);
        const now = clock.now();
        await exitIdleRuns(trx, accountId, id, "automation_deleted", now);
        await trx.updateTable("automations").set({ deleted_at: now, status: "disabled", updated_at: now }).where("account_id", "=", accountId).where("id", "=", id).execute();
      });
      opts.onChange?.();
    },

    activate: (accountId: number, id: number) => setStatus(accountId, id, "active", ["draft", "paused", "disabled"]),
    pause: (accountId: number, id: number) => setStatus(accountId, id, "paused", ["active"]),
    disable: (accountId: number, id: number) => setStatus(accountId, id, "disabled", ["active", "paused"]),

    async simulate(accountId: number, id: number, input: SimulateInput) {
      const row = await mustFind(db, accountId, id);
      const result = await simulate(db, renderer, accountId, await loadDefinition(db, accountId, id, row.version), input, clock.now());
      return { path: result.path, emails: result.emails, end: result.end };
    },

    async versions(accountId: number, id: number) {
      await mustFind(db, accountId, id);
      const rows = await db
        .selectFrom("automation_versions")
        .select(["version", "created_at", "definition"])
        .where("account_id", "=", accountId)
        .where("automation_id", "=", id)
        .orderBy("version")
        .execute();
      return rows.map((r) => ({ version: r.version, created_at: iso(r.created_at)!, definition: JSON.parse(r.definition) as Definition }));
    },
  };
}

export type AutomationsService = ReturnType<typeof automationsService>;
