import type { FieldDataType } from "../contacts/field-value.ts";

/**
 * Every comparison operator a rule may name, one list per rule kind: the schema's `op`
 * enums, the static operator unions and the builder's pickers all come from these.
 */
export const TEXT_OPERATORS = ["eq", "neq", "contains", "not_contains", "starts_with", "is_set", "is_not_set"] as const;
export const NUMBER_OPERATORS = ["eq", "neq", "gt", "gte", "lt", "lte", "is_set", "is_not_set"] as const;
export const BOOLEAN_OPERATORS = ["eq", "neq", "is_set", "is_not_set"] as const;
export const DATE_OPERATORS = ["eq", "before", "after", "within_last_days", "is_set", "is_not_set"] as const;
/** What a field rule may name whatever the field's type (which of them applies is checked on activation). */
export const FIELD_OPERATORS = [
  "eq",
  "neq",
  "contains",
  "not_contains",
  "starts_with",
  "gt",
  "gte",
  "lt",
  "lte",
  "before",
  "after",
  "within_last_days",
  "is_set",
  "is_not_set",
] as const;
/** Event params carry no declared type: text and number operators both apply. */
export const PARAM_OPERATORS = [
  "eq",
  "neq",
  "contains",
  "not_contains",
  "starts_with",
  "gt",
  "gte",
  "lt",
  "lte",
  "is_set",
  "is_not_set",
] as const;
export const LIST_OPERATORS = ["in_list", "not_in_list"] as const;
export const STATUS_OPERATORS = ["eq", "neq"] as const;
export const EMAIL_OPERATORS = ["opened", "not_opened", "clicked", "not_clicked"] as const;

export type FieldOperator = (typeof FIELD_OPERATORS)[number];
export type ParamOperator = (typeof PARAM_OPERATORS)[number];
export type ListOperator = (typeof LIST_OPERATORS)[number];
export type StatusOperator = (typeof STATUS_OPERATORS)[number];
export type EmailOperator = (typeof EMAIL_OPERATORS)[number];
export type Operator = FieldOperator | ParamOperator | ListOperator | StatusOperator | EmailOperator;

/** Which operators a value of each type supports. */
export const OPERATORS: Record<FieldDataType, readonly FieldOperator[]> = {
  text: TEXT_OPERATORS,
  integer: NUMBER_OPERATORS,
  float: NUMBER_OPERATORS,
  boolean: BOOLEAN_OPERATORS,
  date: DATE_OPERATORS,
};

/** `list.includes(x)` for a list of literals and a wider value, narrowing `x`. */
export function isOneOf<T extends string>(list: readonly T[], x: unknown): x is T {
  return (list as readonly unknown[]).includes(x);
}

export function operatorNeedsValue(op: string | undefined): boolean {
  return op !== "is_set" && op !== "is_not_set";
}
