import type { RefAt } from "./refs.ts";

/** The accessible name of the "+" on an arrow, e.g. "Add step after s2". */
export function addStepLabel(at: RefAt): string {
  switch (at.port) {
    case "entry":
      return "Add step after trigger";
    case "next":
      return `Add step after ${at.source}`;
    case "yes":
      return `Add step on Yes branch of ${at.source}`;
    case "no":
      return `Add step on No branch of ${at.source}`;
  }
}
