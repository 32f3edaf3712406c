/** The node summaries live in src/core (validation names steps by them too). */
export {
  describeRule,
  type Names,
  NO_NAMES,
  OPERATOR_LABELS,
  summarizeStep,
  summarizeTrigger,
} from "../../../../src/core/flow/describe.ts";
