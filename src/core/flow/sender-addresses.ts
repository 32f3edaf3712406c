import { mailboxProblem } from "../contacts/email.ts";
import type { Definition } from "./schema.ts";

/**
 * `from_email` and `reply_to` of every send_email step must each be one mailbox. Checked on
 * every save, drafts included (a draft may be incomplete, never unsafe), and at activation.
 */
export function senderAddressIssues(def: Pick<Definition, "steps">): { step_id: string; message: string }[] {
  const issues: { step_id: string; message: string }[] = [];
  for (const step of def.steps) {
    if (step.type !== "send_email" || !step.email) continue;
    for (const key of ["from_email", "reply_to"] as const) {
      const value = step.email[key];
      const problem = value === undefined ? null : mailboxProblem(value);
      if (problem) issues.push({ step_id: step.id, message: `${step.id}: email.${key} ${problem}` });
    }
  }
  return issues;
}
