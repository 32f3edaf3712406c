import { EMAIL_OPERATORS, LIST_OPERATORS, OPERATORS, operatorNeedsValue, PARAM_OPERATORS } from "../../../../src/core/flow/operators.ts";
import { type Definition, RULE_KINDS, type Rule } from "../../../../src/core/flow/schema.ts";
import { Field, FieldPicker, NumberInput, ValueInput } from "./PanelControls.tsx";
import { newRule, RULE_KIND_LABELS } from "../model/step-kinds.ts";
import type { StepFormProps } from "./StepForms.tsx";
import { OPERATOR_LABELS } from "../model/summarize.ts";

const NUMERIC_OPS = new Set(["gt", "gte", "lt", "lte"]);

function OperatorSelect({ ops, value, onChange }: { ops: readonly string[]; value: string | undefined; onChange: (op: string) => void }) {
  return (
    <Field label="Operator">
      <select value={value ?? ""} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose…</option>
        {ops.map((op) => (
          <option key={op} value={op}>
            {OPERATOR_LABELS[op] ?? op}
          </option>
        ))}
      </select>
    </Field>
  );
}

function RuleFields({ rule, set, props, emailSteps }: { rule: Rule; set: (patch: Partial<Rule>) => void; props: StepFormProps; emailSteps: string[] }) {
  const { catalog } = props;
  switch (rule.kind) {
    case "field": {
      const type = catalog.fields.find((f) => f.merge_tag === rule.field)?.data_type;
      const ops = type ? OPERATORS[type] : OPERATORS.text;
      return (
        <>
          <FieldPicker fields={catalog.fields} value={rule.field} onChange={(field) => set({ field, value: undefined })} />
          <OperatorSelect ops={ops} value={rule.op} onChange={(op) => set({ op })} />
          {rule.op === "within_last_days" ? (
            <NumberInput label="Days" min={0} value={typeof rule.value === "number" ? rule.value : undefined} onChange={(value) => set({ value })} />
          ) : operatorNeedsValue(rule.op ?? "") ? (
            <ValueInput type={type} value={rule.value} onChange={(value) => set({ value })} />
          ) : null}
        </>
      );
    }
    case "list":
      return (
        <>
          <OperatorSelect ops={LIST_OPERATORS} value={rule.op} onChange={(op) => set({ op })} />
          <Field label="List">
            <select value={rule.list_id ?? ""} onChange={(e) => set({ list_id: e.target.value ? Number(e.target.value) : undefined })}>
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
          <OperatorSelect ops={["eq", "neq"]} value={rule.op} onChange={(op) => set({ op })} />
          <Field label="Status">
            <select value={typeof rule.value === "string" ? rule.value : ""} onChange={(e) => set({ value: e.target.value || undefined })}>
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
            <input type="text" value={rule.param ?? ""} onChange={(e) => set({ param: e.target.value || undefined })} />
          </Field>
          <OperatorSelect ops={PARAM_OPERATORS} value={rule.op} onChange={(op) => set({ op })} />
          {operatorNeedsValue(rule.op ?? "") ? (
            <Field label="Value">
              <input
                type="text"
                value={rule.value === undefined || rule.value === null ? "" : String(rule.value)}
                onChange={(e) => {
                  const raw = e.target.value;
                  // Greater / less than compare numbers, so a number typed there is stored as one.
                  const numeric = NUMERIC_OPS.has(rule.op ?? "") && raw.trim() !== "" && Number.isFinite(Number(raw));
                  set({ value: raw === "" ? undefined : numeric ? Number(raw) : raw });
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
            <input type="text" value={rule.event ?? ""} onChange={(e) => set({ event: e.target.value || undefined })} />
          </Field>
          <div className="fb-row">
            <NumberInput label="At least (times)" min={1} value={rule.min_count} onChange={(min_count) => set({ min_count })} />
            <NumberInput label="In the last (days)" min={1} value={rule.days} onChange={(days) => set({ days })} />
          </div>
        </>
      );
    case "email":
      return (
        <>
          <OperatorSelect ops={EMAIL_OPERATORS} value={rule.op} onChange={(op) => set({ op })} />
          <Field label="Email step" hint="Opens are approximate: privacy proxies (Apple Mail) load images without a person reading.">
            <select value={rule.step_id ?? ""} onChange={(e) => set({ step_id: e.target.value || undefined })}>
              <option value="">Choose a send email step…</option>
              {emailSteps.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </Field>
        </>
      );
  }
}

/** A condition: all / any of its rules, each rule's kind with the pickers DESIGN §4 lists. */
export function ConditionForm(props: StepFormProps & { definition: Definition }) {
  const { step, onChange, definition } = props;
  const rules = step.rules ?? [];
  const emailSteps = definition.steps.filter((s) => s.type === "send_email").map((s) => s.id);
  const setRule = (i: number, rule: Rule) => onChange({ ...step, rules: rules.map((r, j) => (j === i ? rule : r)) });
  return (
    <>
      <Field label="Match">
        <select value={step.match ?? "all"} onChange={(e) => onChange({ ...step, match: e.target.value as "all" | "any" })}>
          <option value="all">All rules (and)</option>
          <option value="any">Any rule (or)</option>
        </select>
      </Field>
      {rules.map((rule, i) => (
        <fieldset key={i} className="fb-fieldset fb-rule">
          <legend>Rule {i + 1}</legend>
          <Field label="Rule kind">
            <select value={rule.kind} onChange={(e) => setRule(i, newRule(e.target.value as Rule["kind"]))}>
              {RULE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {RULE_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </Field>
          <RuleFields rule={rule} set={(patch) => setRule(i, { ...rule, ...patch })} props={props} emailSteps={emailSteps} />
          <button type="button" className="button-small" onClick={() => onChange({ ...step, rules: rules.filter((_, j) => j !== i) })}>
            Remove rule {i + 1}
          </button>
        </fieldset>
      ))}
      <button type="button" className="button-small" onClick={() => onChange({ ...step, rules: [...rules, newRule()] })}>
        Add rule
      </button>
      <p className="fb-field-hint">Contacts who match go down the Yes branch, the others down No. Fields are read when the contact reaches this step.</p>
    </>
  );
}
