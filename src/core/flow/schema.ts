import { type Static, Type } from "typebox";

/**
 * The automation definition: one schema is the type, the request validator and the
 * OpenAPI contract. Shapes are deliberately permissive about *completeness* (drafts may be
 * unfinished); `validateDefinition` reports what activation needs, step by step.
 */
const Scalar = Type.Union([Type.String({ maxLength: 255 }), Type.Number(), Type.Boolean(), Type.Null()]);
const StepRef = Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]);
// Ids stay exact in JSON and inside PostgreSQL's bigint.
const Id = () => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const ListIds = Type.Array(Id(), { maxItems: 100 });

export const TRIGGER_TYPES = ["contact_created", "contact_field_updated", "contact_added_to_list", "contact_removed_from_list", "custom_event"] as const;
export const STEP_TYPES = ["send_email", "update_field", "unsubscribe", "add_to_lists", "remove_from_lists", "delay", "condition"] as const;
export const RULE_KINDS = ["field", "list", "status", "event_param", "event_history", "email"] as const;
export const DELAY_UNITS = ["minutes", "hours", "days", "weeks"] as const;

export const TriggerSchema = Type.Object(
  {
    type: Type.Union([
      Type.Literal("contact_created"),
      Type.Literal("contact_field_updated"),
      Type.Literal("contact_added_to_list"),
      Type.Literal("contact_removed_from_list"),
      Type.Literal("custom_event"),
    ]),
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

export const RuleSchema = Type.Object(
  {
    kind: Type.Union([
      Type.Literal("field"),
      Type.Literal("list"),
      Type.Literal("status"),
      Type.Literal("event_param"),
      Type.Literal("event_history"),
      Type.Literal("email"),
    ]),
    op: Type.Optional(Type.String({ maxLength: 32 })),
    field: Type.Optional(Type.String({ maxLength: 80 })),
    param: Type.Optional(Type.String({ maxLength: 255 })),
    value: Type.Optional(Scalar),
    list_id: Type.Optional(Id()),
    event: Type.Optional(Type.String({ maxLength: 255 })),
    min_count: Type.Optional(Type.Integer({ minimum: 1 })),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    step_id: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const StepSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    type: Type.Union([
      Type.Literal("send_email"),
      Type.Literal("update_field"),
      Type.Literal("unsubscribe"),
      Type.Literal("add_to_lists"),
      Type.Literal("remove_from_lists"),
      Type.Literal("delay"),
      Type.Literal("condition"),
    ]),
    next: Type.Optional(StepRef),
    email: Type.Optional(EmailSchema),
    field: Type.Optional(Type.String({ maxLength: 80 })),
    value: Type.Optional(Scalar),
    list_ids: Type.Optional(ListIds),
    amount: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    unit: Type.Optional(Type.Union([Type.Literal("minutes"), Type.Literal("hours"), Type.Literal("days"), Type.Literal("weeks")])),
    match: Type.Optional(Type.Union([Type.Literal("all"), Type.Literal("any")])),
    rules: Type.Optional(Type.Array(RuleSchema, { maxItems: 50 })),
    yes: Type.Optional(StepRef),
    no: Type.Optional(StepRef),
    /** Where the builder drew the node; kept as given. */
    position: Type.Optional(Type.Object({ x: Type.Number(), y: Type.Number() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

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
export type EmailConfig = Static<typeof EmailSchema>;
export type Rule = Static<typeof RuleSchema>;
export type Step = Static<typeof StepSchema>;
export type Settings = Static<typeof SettingsSchema>;
export type Definition = Static<typeof DefinitionSchema>;
export type StepType = (typeof STEP_TYPES)[number];
