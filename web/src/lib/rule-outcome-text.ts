import type { RuleOutcome } from "../../../src/core/engine/evaluate-condition.ts";
import { OPERATOR_LABELS } from "../../../src/core/flow/describe.ts";
import type { Operator } from "../../../src/core/flow/operators.ts";

/** Names the journal does not carry, when the page knows them. */
export interface OutcomeNames {
  field?(mergeTag: string): string | undefined;
  list?(id: number): string | undefined;
  /** An email step of the automation by its id (subject or template). */
  email?(stepId: string): string | undefined;
}

function opText(op: string): string {
  return OPERATOR_LABELS[op as Operator] ?? op.replaceAll("_", " ");
}

function val(v: unknown): string {
  if (v === null || v === undefined || v === "") return "empty";
  if (typeof v === "string") return `“${v}”`;
  if (typeof v === "boolean") return v ? "true" : "false";
  return String(v);
}

/**
 * Why one rule of a condition came out as it did, in words: `Plan equals “pro” — it was
 * “Pro”: yes`. Reads the journal's outcome (kind, op, subject such as `field.plan`, the
 * compared values) without the definition.
 */
export function ruleOutcomeText(r: RuleOutcome, names: OutcomeNames = {}): string {
  const verdict = r.result ? "yes" : "no";
  const rest = r.subject.split(".").slice(1).join(".");
  switch (r.kind) {
    case "field": {
      const field = names.field?.(rest) ?? rest;
      if (r.op === "is_set" || r.op === "is_not_set") return `${field} ${opText(r.op)} — it was ${val(r.actual)}: ${verdict}`;
      if (r.op === "within_last_days") return `${field} is within the last ${val(r.expected)} days — it was ${val(r.actual)}: ${verdict}`;
      return `${field} ${opText(r.op)} ${val(r.expected)} — it was ${val(r.actual)}: ${verdict}`;
    }
    case "list": {
      const id = Number(rest);
      const list = (Number.isInteger(id) ? names.list?.(id) : undefined) ?? `list #${rest}`;
      return `${r.op === "not_in_list" ? "Not in" : "In"} ${list} — ${r.actual ? "a member" : "not a member"}: ${verdict}`;
    }
    case "status":
      return `Subscription status ${opText(r.op)} ${val(r.expected)} — it was ${val(r.actual)}: ${verdict}`;
    case "event_param":
      if (r.op === "is_set" || r.op === "is_not_set")
        return `Event param “${rest.replace(/^params\./, "")}” ${opText(r.op)} — it was ${val(r.actual)}: ${verdict}`;
      return `Event param “${rest.replace(/^params\./, "")}” ${opText(r.op)} ${val(r.expected)} — it was ${val(r.actual)}: ${verdict}`;
    case "event_history": {
      const m = /^(.*)\.last_(\d+)_days$/.exec(rest);
      const [event, days] = m ? [m[1]!, m[2]!] : [rest, "?"];
      const times = (n: unknown) => (n === 1 ? "1 time" : `${String(n)} times`);
      return `Did “${event}” at least ${times(r.expected)} in the last ${days} days — ${times(r.actual)}: ${verdict}`;
    }
    case "email": {
      const stepId = rest.replace(/\.(opened|clicked)$/, "");
      const email = names.email?.(stepId) ?? "the earlier email";
      const did = r.actual ? "they did" : "they did not";
      return `${opText(r.op).charAt(0).toUpperCase()}${opText(r.op).slice(1)} ${email} — ${did}: ${verdict}`;
    }
    default:
      return `${r.subject} ${opText(r.op)} ${val(r.expected)} — it was ${val(r.actual)}: ${verdict}`;
  }
}
