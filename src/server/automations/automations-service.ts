import type { Kysely } from "kysely";
import type { Store } from "../db/connect.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../clock.ts";
import { errors, type FieldErrors } from "../errors.ts";
import type { Definition } from "../../core/flow/schema.ts";
import { type Issue, validateDefinition } from "../../core/flow/validate.ts";
import { senderAddressIssues } from "../../core/flow/sender-addresses.ts";
import {
  type AutomationRow,
  countAutomations,
  findAutomation,
  loadCatalog,
  loadDefinition,
  insertAutomation,
  insertVersion,
  listAutomations,
  listVersions,
  rewriteVersion,
  updateAutomation,
} from "./automations-repo.ts";
import { simulate, type SimulateInput } from "./simulate.ts";
import { exitIdleRuns, moveRunsToVersion } from "../db/runs-repo.ts";
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

export function automationsService(
  store: Store,
  clock: Clock,
  renderer: Renderer,
  opts: { maxAutomations: number; onChange?: () => void },
) {
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
      const updated = await updateAutomation(trx, accountId, id, {
        status: to,
        updated_at: clock.now(),
        ...(to === "active" ? { published: 1 } : {}),
      });
      // Runs waiting in a delay leave at once; a run mid-step finishes that step, then the executor removes it.
      if (to === "disabled") await exitIdleRuns(trx, accountId, id, "automation_disabled", clock.now());
      return current(trx, updated);
    });
    opts.onChange?.();
    return result;
  }

  return {
    async list(accountId: number): Promise<AutomationView[]> {
      const rows = await listAutomations(db, accountId);
      return Promise.all(rows.map((r) => current(db, r)));
    },

    async get(accountId: number, id: number): Promise<AutomationView> {
      return current(db, await mustFind(db, accountId, id));
    },

    async create(accountId: number, def: Definition): Promise<AutomationView> {
      refuseUnsafeSenders(def);
      return db.transaction().execute(async (trx) => {
        if ((await countAutomations(trx, accountId)) >= opts.maxAutomations)
          throw errors.validation({ base: [`You can have up to ${opts.maxAutomations} automations`] });
        return view(await insertAutomation(trx, accountId, def, clock.now()), def);
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
          await rewriteVersion(trx, accountId, id, row.version, def, now);
          return view(await updateAutomation(trx, accountId, id, { name: def.name, trigger_type: def.trigger.type, updated_at: now }), def);
        }
        await checkValid(trx, accountId, def);
        const version = row.version + 1;
        await insertVersion(trx, accountId, id, version, def, now);
        if (inFlight === "move") {
          // Runs on the version being replaced move; runs an earlier edit kept stay kept.
          await exitIdleRuns(trx, accountId, id, "step_removed", now, { version: row.version, keepSteps: def.steps.map((s) => s.id) });
          await moveRunsToVersion(trx, accountId, id, row.version, version);
        }
        return view(
          await updateAutomation(trx, accountId, id, { name: def.name, trigger_type: def.trigger.type, version, updated_at: now }),
          def,
        );
      });
      opts.onChange?.();
      return result;
    },

    async delete(accountId: number, id: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await mustFind(trx, accountId, id);
        const now = clock.now();
        await exitIdleRuns(trx, accountId, id, "automation_deleted", now);
        await updateAutomation(trx, accountId, id, { deleted_at: now, status: "disabled", updated_at: now });
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
      const rows = await listVersions(db, accountId, id);
      return rows.map((r) => ({ version: r.version, created_at: iso(r.created_at)!, definition: JSON.parse(r.definition) as Definition }));
    },
  };
}

export type AutomationsService = ReturnType<typeof automationsService>;
