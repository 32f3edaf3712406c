import type { Definition } from "../../../../src/core/flow/schema.ts";
import { type Catalog, issueText, validateDefinition } from "../../../../src/core/flow/validate.ts";
import { fieldErrorText } from "../../lib/error-text.ts";

/**
 * Problems by where the canvas shows them: a step id, "trigger", or "" for the whole
 * automation; each as the sentence a marketer reads (the API's `s3: ` / `trigger: ` address
 * in front of it is where it goes, not what it says).
 */
export type IssueMap = ReadonlyMap<string, string[]>;

function add(map: Map<string, string[]>, key: string, message: string): void {
  const list = map.get(key) ?? [];
  if (!list.includes(message)) list.push(message);
  map.set(key, list);
}

/** Where a message from src/core validate (or the server's 422, which words them the same) belongs. */
function keyOf(message: string, stepId: string | null, stepIds: ReadonlySet<string>): string {
  if (message.startsWith("trigger:")) return "trigger";
  if (stepId !== null) return stepId;
  const prefix = /^([^:]+):/.exec(message)?.[1];
  return prefix !== undefined && stepIds.has(prefix) ? prefix : "";
}

/**
 * The builder's own check, with the same src/core code the server runs on activation,
 * merged with what the server last answered (a 422 from activate or publish), so both
 * show on the nodes they name.
 */
export function collectIssues(def: Definition, catalog: Catalog | null, server: readonly string[]): IssueMap {
  const map = new Map<string, string[]>();
  const ids = new Set(def.steps.map((s) => s.id));
  if (catalog) for (const i of validateDefinition(def, catalog)) add(map, keyOf(i.message, i.step_id, ids), issueText(i.message, ids));
  for (const message of server) add(map, keyOf(message, null, ids), issueText(message, ids));
  return map;
}

/**
 * The messages of a 422 `{"errors": {"steps": [...], "trigger": [...]}}`, flattened; those
 * of other attributes (`name`, `status`) as sentences naming the attribute in words.
 */
export function serverMessages(fieldErrors: Record<string, string[]>): string[] {
  return Object.entries(fieldErrors).flatMap(([field, messages]) =>
    field === "steps" || field === "trigger" ? messages : messages.map((m) => fieldErrorText(field, m)),
  );
}
