import type { ConditionOutcome, RuleOutcome } from "../../../src/core/engine/evaluate-condition.ts";
import { OPERATOR_LABELS } from "../flow-builder/model/summarize.ts";
import { formatValue } from "../lib/format.ts";

const shown = (v: unknown): string => (v === null || v === undefined || v === "" ? "empty" : `“${formatValue(v)}”`);

/** One rule as a sentence with what the contact had: "plan equals pro — it was “pro”". */
function ruleWords(r: RuleOutcome, listName: (id: unknown) => string): string {
  const op = (OPERATOR_LABELS as Record<string, string | undefined>)[r.op] ?? r.op.replaceAll("_", " ");
  const needsValue = r.op !== "is_set" && r.op !== "is_not_set";
  switch (r.kind) {
    case "field":
      return `${r.subject.replace(/^field\./, "")} ${op}${needsValue ? ` ${formatValue(r.expected)}` : ""} — it was ${shown(r.actual)}`;
    case "list": {
      const id = Number(r.subject.replace(/^list\./, ""));
      return `${r.op === "not_in_list" ? "not in" : "in"} list ${listName(id)} — ${r.actual ? "is a member" : "is not a member"}`;
    }
    case "status":
      return `subscription ${op} ${formatValue(r.expected)} — it was ${shown(r.actual)}`;
    case "event_param":
      return `event's ${r.subject.replace(/^event\.params\./, "")} ${op}${needsValue ? ` ${formatValue(r.expected)}` : ""} — it was ${shown(r.actual)}`;
    case "event_history": {
      const m = /^events\.(.*)\.last_(\d+)_days$/.exec(r.subject);
      return `did “${m?.[1] ?? r.subject}” at least ${formatValue(r.expected)} times in ${m?.[2] ?? "?"} days — did it ${formatValue(r.actual)} times`;
    }
    case "email":
      return `${op} the earlier email — ${r.actual ? "yes" : "no"}`;
    default:
      return `${r.subject} ${op} ${formatValue(r.expected)} — it was ${shown(r.actual)}`;
  }
}

/** Why a condition went yes or no: each rule with the value it compared, and whether it held. */
export function ConditionWhy({ why, listName = (id) => `#${String(id)}` }: { why: ConditionOutcome; listName?: (id: unknown) => string }) {
  return (
    <ul className="why">
      {why.rules.map((r, i) => (
        <li key={i}>
          {ruleWords(r, listName)}: <strong>{r.result ? "true" : "false"}</strong>
        </li>
      ))}
    </ul>
  );
}
