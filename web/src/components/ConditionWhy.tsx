import type { ConditionOutcome } from "../../../src/core/engine/evaluate-condition.ts";
import { ruleOutcomeText } from "../lib/rule-outcome-text.ts";

/** Why a condition went yes or no: each rule with the value it compared, and whether it held. */
export function ConditionWhy({ why, listName }: { why: ConditionOutcome; listName?: (id: unknown) => string }) {
  return (
    <ul className="why">
      {why.rules.map((r, i) => (
        <li key={i}>{ruleOutcomeText(r, listName ? { list: listName } : {})}</li>
      ))}
    </ul>
  );
}
