import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { Definition } from "../../core/flow/schema.ts";
import { stepLabel } from "../../core/flow/step-label.ts";
import { definitionsOf, templateNames } from "./runs-read-repo.ts";

/** Finds a step's label by (automation, version, step id); the id itself when the version is unknown. */
export type StepLabeller = (automationId: number, version: number, stepId: string) => string;

/**
 * Loads the definitions of the (automation, version) pairs a page of journal rows refers
 * to, and the names of the templates they send, so each step can be named as the
 * marketer knows it ("Email “Welcome”") instead of by its id.
 */
export async function loadStepLabels(
  db: Kysely<Database>,
  accountId: number,
  pairs: readonly { automationId: number; version: number }[],
): Promise<StepLabeller> {
  const byAutomation = new Map<number, Set<number>>();
  for (const p of pairs) byAutomation.set(p.automationId, (byAutomation.get(p.automationId) ?? new Set()).add(p.version));
  const defs = new Map<string, Definition>();
  for (const [automationId, versions] of byAutomation) {
    for (const [version, json] of await definitionsOf(db, accountId, automationId, [...versions]))
      defs.set(`${automationId}:${version}`, JSON.parse(json) as Definition);
  }
  const templateIds = new Set<number>();
  for (const def of defs.values())
    for (const s of def.steps) if (s.type === "send_email" && s.email?.template_id !== undefined) templateIds.add(s.email.template_id);
  const templates = await templateNames(db, accountId, [...templateIds]);
  const names = { template: (id: number) => templates.get(id) };
  return (automationId, version, stepId) => {
    const step = defs.get(`${automationId}:${version}`)?.steps.find((s) => s.id === stepId);
    return step ? stepLabel(step, names) : stepId;
  };
}
