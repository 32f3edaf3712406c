/**
 * Every report counter, by name: the engine, the sender, tracking and the services that end
 * runs write them in the transactions of their facts; reports read them back. One list, so a
 * name misspelt on either side fails to compile.
 */
export const COUNTERS = [
  // The automation as a whole (step_id ''), and each step.
  "entered",
  "completed",
  "failed",
  // A run that left from inside a delay never completes that step.
  "abandoned",
  "exited:automation_deleted",
  "exited:automation_disabled",
  "exited:contact_deleted",
  "exited:step_removed",
  "exited:cycle",
  "refused:contact_deleted",
  "refused:reentry",
  "refused:quota",
  // A condition step: the branch each run took (the Reports tab's Yes / No).
  "branch:yes",
  "branch:no",
  // A send_email step's messages.
  "email:sent",
  "email:failed",
  "email:skipped",
  "email:opens",
  "email:clicks",
  "email:unique_opens",
  "email:unique_clicks",
  "email:unsubscribes",
] as const;

export type CounterName = (typeof COUNTERS)[number];

type After<P extends string> = CounterName extends infer N ? (N extends `${P}${infer R}` ? R : never) : never;

/** Why a run exited (its `exit_reason`, and the `exited:<reason>` counter). */
export type ExitReason = After<"exited:">;
/** Why a contact was not enrolled (an entry refusal's reason, and the `refused:<reason>` counter). */
export type RefusalReason = After<"refused:">;
/** The counters of one prefix, without it: `exited:` → the exit reasons. */
export type CounterSuffix<P extends "exited:" | "refused:" | "email:"> = After<P>;

export function exitedCounter(reason: ExitReason): CounterName {
  return `exited:${reason}`;
}

export function refusedCounter(reason: RefusalReason): CounterName {
  return `refused:${reason}`;
}

/** The counter names of one prefix, with the part after it: for readers that list them all. */
export function countersWith<P extends "exited:" | "refused:" | "email:">(prefix: P): { name: CounterName; suffix: CounterSuffix<P> }[] {
  return COUNTERS.filter((n) => n.startsWith(prefix)).map((name) => ({ name, suffix: name.slice(prefix.length) as CounterSuffix<P> }));
}

/** One increment of one report counter. */
export interface Bump {
  account_id: number;
  automation_id: number;
  /** '' for the automation as a whole. */
  step_id: string;
  metric: CounterName;
  at: number;
  n?: number;
}
