import {
  EMAIL_OPERATORS,
  LIST_OPERATORS,
  type Operator,
  OPERATORS,
  operatorNeedsValue,
  PARAM_OPERATORS,
  STATUS_OPERATORS,
} from "../../../../src/core/flow/operators.ts";
import { CONTACT_STATUSES, type Definition, RULE_KINDS, MATCH_MODES, type Rule, unreachable } from "../../../../src/core/flow/schema.ts";
import { Field, FieldPicker, NumberInput, ValueInput } from "./PanelControls.tsx";
import { newRule, RULE_KIND_LABELS } from "../model/step-kinds.ts";
import type { StepFormProps } from "./StepForms.tsx";
import type { CatalogData } from "../editor/use-catalog.ts";
import { capitalize, type Names, OPERATOR_LABELS, stepName } from "../../../../src/core/flow/describe.ts";

const NUMERIC_OPS = new Set(["gt", "gte", "lt", "lte"]);

/** The operators of one rule kind; "Choose…" leaves the rule without one (an unfinished draft). */
function OperatorSelect<O extends Operator>({
  ops,
  value,
  onChange,
}: {
  ops: readonly O[];
  value: O | undefined;
  onChange: (op: O | undefined) => void;
}) {
  return (
    <Field label="Operator">
      <select value={value ?? ""} onChange={(e) => onChange(ops.find((op) => op === e.target.value))}>
        <option value="">Choose…</option>
        {ops.map((op) => (
          <option key={op} value={op}>
            {OPERATOR_LABELS[op]}
          </option>
        ))}
      </select>
    </Field>
  );
}

function RuleFields({
  rule,
  set,
  catalog,
  emailSteps,
}: {
  rule: Rule;
  set: (rule: Rule) => void;
  catalog: CatalogData;
  emailSteps: { id: string; label: string }[];
}) {
  switch (rule.kind) {
    case "field": {
      const type = catalog.fields.find((f) => f.merge_tag === rule.field)?.data_type;
      const ops = type ? OPERATORS[type] : OPERATORS.text;
      return (
        <>
          <FieldPicker fields={catalog.fields} value={rule.field} onChange={(field) => set({ ...rule, field, value: undefined })} />
          <OperatorSelect ops={ops} value={rule.op} onChange={(op) => set({ ...rule, op })} />
          {rule.op === "within_last_days" ? (
            <NumberInput
              label="Days"
              min={0}
              value={typeof rule.value === "number" ? rule.value : undefined}
              onChange={(value) => set({ ...rule, value })}
            />
          ) : operatorNeedsValue(rule.op ?? "") ? (
            <ValueInput type={type} value={rule.value} onChange={(value) => set({ ...rule, value })} />
          ) : null}
        </>
      );
    }
    case "list":
      return (
        <>
          <OperatorSelect ops={LIST_OPERATORS} value={rule.op} onChange={(op) => set({ ...rule, op })} />
          <Field label="List">
            <select
              value={rule.list_id ?? ""}
              onChange={(e) => set({ ...rule, list_id: e.target.value ? Number(e.target.value) : undefined })}
            >
              <option value="">Choose a list…</option>
              {catalog.lists.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </Field>
        </>
      );
    case "status":
      return (
        <>
          <OperatorSelect ops={STATUS_OPERATORS} value={rule.op} onChange={(op) => set({ ...rule, op })} />
          <Field label="Status">
            <select
              value={typeof rule.value === "string" ? rule.value : ""}
              onChange={(e) => set({ ...rule, value: CONTACT_STATUSES.find((v) => v === e.target.value) })}
            >
              <option value="">Choose…</option>
              <option value="subscribed">subscribed</option>
              <option value="unsubscribed">unsubscribed</option>
            </select>
          </Field>
        </>
      );
    case "event_param":
      return (
        <>
          <Field label="Param name" hint="A param of the event that started the run: event.params.<name>">
            <input type="text" value={rule.param ?? ""} onChange={(e) => set({ ...rule, param: e.target.value || undefined })} />
          </Field>
          <OperatorSelect ops={PARAM_OPERATORS} value={rule.op} onChange={(op) => set({ ...rule, op })} />
          {operatorNeedsValue(rule.op ?? "") ? (
            <Field label="Value">
              <input
                type="text"
                value={rule.value === undefined || rule.value === null ? "" : String(rule.value)}
                onChange={(e) => {
                  const raw = e.target.value;
                  // Greater / less than compare numbers, so a number typed there is stored as one.
                  const numeric = NUMERIC_OPS.has(rule.op ?? "") && raw.trim() !== "" && Number.isFinite(Number(raw));
                  set({ ...rule, value: raw === "" ? undefined : numeric ? Number(raw) : raw });
                }}
              />
            </Field>
          ) : null}
        </>
      );
    case "event_history":
      return (
        <>
          <Field label="Event name">
            <input type="text" value={rule.event ?? ""} onChange={(e) => set({ ...rule, event: e.target.value || undefined })} />
          </Field>
          <div className="fb-row">
            <NumberInput label="At least (times)" min={1} value={rule.min_count} onChange={(min_count) => set({ ...rule, min_count })} />
            <NumberInput label="In the last (days)" min={1} value={rule.days} onChange={(days) => set({ ...rule, days })} />
          </div>
        </>
      );
    case "email":
      return (
        <>
          <OperatorSelect ops={EMAIL_OPERATORS} value={rule.op} onChange={(op) => set({ ...rule, op })} />
          <Field label="Email step" hint="Opens are approximate: privacy proxies (Apple Mail) load images without a person reading.">
            <select value={rule.step_id ?? ""} onChange={(e) => set({ ...rule, step_id: e.target.value || undefined })}>
              <option value="">Choose a send email step…</option>
              {emailSteps.map(({ id, label }) => (
                <option key={id} value={id}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
        </>
      );
    default:
      return unreachable(rule);
  }
}

/** A condition: all / any of its rules, each rule's kind with the pickers DESIGN §4 lists. */
export function ConditionForm({ step, catalog, onChange, definition }: StepFormProps<"condition"> & { definition: Definition }) {
  const rules = step.rules ?? [];
  // Emails by subject or template, as the canvas shows them, not by step id.
  const names: Names = {
    template: (id) => catalog.templates.find((t) => t.id === id)?.name,
    list: (id) => catalog.lists.find((l) => l.id === id)?.name,
    field: (tag) => catalog.fields.find((f) => f.merge_tag === tag)?.name,
  };
  const emailSteps = definition.steps
    .filter((s) => s.type === "send_email")
    .map((s) => ({ id: s.id, label: capitalize(stepName(s, names, definition.steps)) }));
  const setRule = (i: number, rule: Rule) => onChange({ ...step, rules: rules.map((r, j) => (j === i ? rule : r)) });
  return (
    <>
      <Field label="Match">
        <select
          value={step.match ?? "all"}
          onChange={(e) => onChange({ ...step, match: MATCH_MODES.find((m) => m === e.target.value) ?? "all" })}
        >
          <option value="all">All rules (and)</option>
          <option value="any">Any rule (or)</option>
        </select>
      </Field>
      {rules.map((rule, i) => (
        <fieldset key={i} className="fb-fieldset fb-rule">
          <legend>Rule {i + 1}</legend>
          <Field label="Rule kind">
            <select value={rule.kind} onChange={(e) => setRule(i, newRule(RULE_KINDS.find((k) => k === e.target.value)))}>
              {RULE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {RULE_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </Field>
          <RuleFields rule={rule} set={(r) => setRule(i, r)} catalog={catalog} emailSteps={emailSteps} />
          <button type="button" className="button-small" onClick={() => onChange({ ...step, rules: rules.filter((_, j) => j !== i) })}>
            Remove rule {i + 1}
          </button>
        </fieldset>
      ))}
      <button type="button" className="button-small" onClick={() => onChange({ ...step, rules: [...rules, newRule()] })}>
        Add rule
      </button>
      <p className="fb-field-hint">
        Contacts who match go down the Yes branch, the others down No. Fields are read when the contact reaches this step.
      </p>
    </>
  );
}
