import type { FieldDataType } from "../contacts/field-value.ts";

/** Which comparison operators a value of each type supports, and which need a value. */
export const OPERATORS: Record<FieldDataType, readonly string[]> = {
  text: ["eq", "neq", "contains", "not_contains", "starts_with", "is_set", "is_not_set"],
  integer: ["eq", "neq", "gt", "gte", "lt", "lte", "is_set", "is_not_set"],
  float: ["eq", "neq", "gt", "gte", "lt", "lte", "is_set", "is_not_set"],
  boolean: ["eq", "neq", "is_set", "is_not_set"],
  date: ["eq", "before", "after", "within_last_days", "is_set", "is_not_set"],
};

/** Event params carry no declared type: text and number operators both apply. */
export const PARAM_OPERATORS: readonly string[] = ["eq", "neq", "contains", "not_contains", "starts_with", "gt", "gte", "lt", "lte", "is_set", "is_not_set"];

export const LIST_OPERATORS = ["in_list", "not_in_list"] as const;
export const EMAIL_OPERATORS = ["opened", "not_opened", "clicked", "not_clicked"] as const;

export function operatorNeedsValue(op: string): boolean {
  return op !== "is_set" && op !== "is_not_set";
}
