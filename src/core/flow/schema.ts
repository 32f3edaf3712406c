import { type Static, type TObject, type TSchema, Type } from "typebox";
export { unreachable } from "./unreachable.ts";
import { EMAIL_OPERATORS, FIELD_OPERATORS, LIST_OPERATORS, PARAM_OPERATORS, STATUS_OPERATORS } from "./operators.ts";

/**
 * The automation definition: one schema is the type, the request validator and the
 * OpenAPI contract. Shapes are deliberately permissive about *completeness* (drafts may be
 * unfinished); `validateDefinition` reports what activation needs, step by step.
 *
 * Steps and rules are tagged unions built from one table each (`STEP_SETTINGS`,
 * `RULE_SETTINGS`): a new step type is one entry there, and the compiler then lists every
 * place that must handle it (the `never` checks in validate, advance, ports and the builder).
 */
const Scalar = Type.Union([Type.String({ maxLength: 255 }), Type.Number(), Type.Boolean(), Type.Null()]);
const StepRef = Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]);
// Ids stay exact in JSON and inside PostgreSQL's bigint.
const Id = () => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const ListIds = Type.Array(Id(), { maxItems: 100 });

export const TRIGGER_TYPES = [
  "contact_created",
  "contact_field_updated",
  "contact_added_to_list",
  "contact_removed_from_list",
  "custom_event",
] as const;
export const DELAY_UNITS = ["minutes", "hours", "days", "weeks"] as const;
export const MATCH_MODES = ["all", "any"] as const;
export const CONTACT_STATUSES = ["subscribed", "unsubscribed"] as const;

/**
 * A union whose members are told apart by one literal property. In JSON Schema it is a
 * `oneOf` with an OpenAPI `discriminator`, so Ajv checks only the member the tag names and
 * a 422 says what is wrong with *that* step, not that it matches none of seven; the static
 * type is the union of the members' own static types.
 */
/** An intersection shown (and checked) as one object type; optional keys stay optional. */
type Flat<T> = T extends object ? { [P in keyof T]: T[P] } : never;

function tagged<T>(tag: string, members: readonly TSchema[]) {
  return Type.Unsafe<T>({ type: "object", oneOf: [...members], discriminator: { propertyName: tag } } as unknown as TSchema);
}

export const TriggerSchema = Type.Object(
  {
    type: Type.Enum(TRIGGER_TYPES),
    field: Type.Optional(Type.String({ maxLength: 80 })),
    to: Type.Optional(Scalar),
    list_ids: Type.Optional(ListIds),
    event: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);

export const EmailSchema = Type.Object(
  {
    template_id: Type.Optional(Id()),
    subject: Type.Optional(Type.String({ maxLength: 998 })),
    html: Type.Optional(Type.String({ maxLength: 1_000_000 })),
    text: Type.Optional(Type.String({ maxLength: 1_000_000 })),
    from_email: Type.Optional(Type.String({ maxLength: 254 })),
    from_name: Type.Optional(Type.String({ maxLength: 255 })),
    reply_to: Type.Optional(Type.String({ maxLength: 254 })),
    preheader: Type.Optional(Type.String({ maxLength: 255 })),
    track_opens: Type.Optional(Type.Boolean()),
    track_clicks: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** Each rule kind and the settings it carries besides `kind`. */
export const RULE_SETTINGS = {
  field: {
    op: Type.Optional(Type.Enum(FIELD_OPERATORS)),
    field: Type.Optional(Type.String({ maxLength: 80 })),
    value: Type.Optional(Scalar),
  },
  list: { op: Type.Optional(Type.Enum(LIST_OPERATORS)), list_id: Type.Optional(Id()) },
  status: { op: Type.Optional(Type.Enum(STATUS_OPERATORS)), value: Type.Optional(Type.Enum(CONTACT_STATUSES)) },
  event_param: {
    op: Type.Optional(Type.Enum(PARAM_OPERATORS)),
    param: Type.Optional(Type.String({ maxLength: 255 })),
    value: Type.Optional(Scalar),
  },
  event_history: {
    event: Type.Optional(Type.String({ maxLength: 255 })),
    min_count: Type.Optional(Type.Integer({ minimum: 1 })),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  email: { op: Type.Optional(Type.Enum(EMAIL_OPERATORS)), step_id: Type.Optional(Type.String({ maxLength: 64 })) },
};

export type RuleKind = keyof typeof RULE_SETTINGS;
export const RULE_KINDS = Object.keys(RULE_SETTINGS) as RuleKind[];

function ruleMember(kind: RuleKind): TObject {
  return Type.Object({ kind: Type.Literal(kind), ...RULE_SETTINGS[kind] }, { additionalProperties: false });
}
/** The rule of one kind, e.g. `RuleOf<"list">`. */
export type RuleOf<K extends RuleKind> = K extends RuleKind ? Flat<{ kind: K } & Static<TObject<(typeof RULE_SETTINGS)[K]>>> : never;
export type Rule = { [K in RuleKind]: RuleOf<K> }[RuleKind];
export const RuleSchema = tagged<Rule>("kind", RULE_KINDS.map(ruleMember));

/** All or any of some rules: a condition step, and later the condition branch of a wait. */
const RuleSet = {
  match: Type.Optional(Type.Enum(MATCH_MODES)),
  rules: Type.Optional(Type.Array(RuleSchema, { maxItems: 50 })),
};
const Next = { next: Type.Optional(StepRef) };

/**
 * Each step type and the settings it carries besides `id`, `type` and `position`. Where a
 * step leads is part of its settings (`next`, a condition's `yes` / `no`); ports.ts reads them.
 */
export const STEP_SETTINGS = {
  send_email: { ...Next, email: Type.Optional(EmailSchema) },
  update_field: { ...Next, field: Type.Optional(Type.String({ maxLength: 80 })), value: Type.Optional(Scalar) },
  unsubscribe: { ...Next },
  add_to_lists: { ...Next, list_ids: Type.Optional(ListIds) },
  remove_from_lists: { ...Next, list_ids: Type.Optional(ListIds) },
  delay: { ...Next, amount: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })), unit: Type.Optional(Type.Enum(DELAY_UNITS)) },
  condition: { ...RuleSet, yes: Type.Optional(StepRef), no: Type.Optional(StepRef) },
};

export type StepType = keyof typeof STEP_SETTINGS;
export const STEP_TYPES = Object.keys(STEP_SETTINGS) as StepType[];

/** Where the builder drew the node; kept as given. */
const Position = Type.Optional(Type.Object({ x: Type.Number(), y: Type.Number() }, { additionalProperties: false }));
const StepId = Type.String({ minLength: 1, maxLength: 64 });

function stepMember(type: StepType): TObject {
  return Type.Object({ id: StepId, type: Type.Literal(type), ...STEP_SETTINGS[type], position: Position }, { additionalProperties: false });
}
type StepBase<K extends StepType> = { id: string; type: K; position?: Static<typeof Position> };
/** The step of one type, e.g. `StepOf<"delay">`. */
export type StepOf<K extends StepType> = K extends StepType ? Flat<StepBase<K> & Static<TObject<(typeof STEP_SETTINGS)[K]>>> : never;
export type Step = { [K in StepType]: StepOf<K> }[StepType];
export const StepSchema = tagged<Step>("type", STEP_TYPES.map(stepMember));

export const SettingsSchema = Type.Object(
  { reentry_hours: Type.Optional(Type.Integer({ minimum: 0, maximum: 87_600 })) },
  { additionalProperties: false },
);

export const DefinitionSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255 }),
    trigger: TriggerSchema,
    entry_step_id: Type.Optional(StepRef),
    steps: Type.Array(StepSchema, { maxItems: 500 }),
    settings: Type.Optional(SettingsSchema),
  },
  { additionalProperties: false },
);

export type Trigger = Static<typeof TriggerSchema>;
export type TriggerType = Trigger["type"];
export type EmailConfig = Static<typeof EmailSchema>;
export type Settings = Static<typeof SettingsSchema>;
export type Definition = Static<typeof DefinitionSchema>;
export type DelayUnit = (typeof DELAY_UNITS)[number];
export type MatchMode = (typeof MATCH_MODES)[number];
