/**
 * The error catalogue: every error the API answers, its HTTP status and body shape.
 * Bodies follow Mailtrap's spec (which mixes `error` and `errors` keys on purpose).
 */
export type FieldErrors = Record<string, string[]>;

/**
 * The message list of one attribute, created when absent. Attribute names come from users
 * (unknown attributes, merge tags), so `??=` is wrong: `fields["constructor"]` is inherited.
 */
export function messagesOf(fields: FieldErrors, attribute: string): string[] {
  if (!Object.hasOwn(fields, attribute)) {
    // defineProperty, not `=`: assigning `__proto__` would replace the prototype instead.
    Object.defineProperty(fields, attribute, { value: [], enumerable: true, writable: true, configurable: true });
  }
  return fields[attribute]!;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(code);
  }
}

export const errors = {
  unauthenticated: () => new ApiError("unauthenticated", 401, { error: "Incorrect API token" }),
  /** A web session that is missing, unknown or expired (API tokens keep Mailtrap's 401 above). */
  sessionUnauthenticated: () => new ApiError("session_unauthenticated", 401, { errors: "Unauthorized" }),
  /** The same answer for an unknown email and a wrong password. */
  invalidLogin: () => new ApiError("invalid_login", 401, { errors: "Invalid email or password" }),
  csrf: () => new ApiError("csrf", 403, { errors: "Missing or invalid CSRF token" }),
  forbidden: () => new ApiError("forbidden", 403, { errors: "Account access forbidden" }),
  notFound: () => new ApiError("not_found", 404, { error: "Not Found" }),
  /** Mailtrap's DELETE /contacts/{id} answers 404 with an `errors` string. */
  contactsNotFound: () => new ApiError("contacts_not_found", 404, { errors: "Contact(s) not found" }),
  badRequest: (message: string) => new ApiError("bad_request", 400, { error: message }),
  payloadTooLarge: (limit: number) => new ApiError("payload_too_large", 413, { error: `Request body is larger than ${limit} bytes` }),
  unsupportedMediaType: () => new ApiError("unsupported_media_type", 415, { error: "Content-Type must be application/json" }),
  validation: (fields: FieldErrors) => new ApiError("validation", 422, { errors: fields }),
  /** Imports answer one entry per refused contact. */
  importValidation: (items: { email: string; errors: FieldErrors }[]) => new ApiError("import_validation", 422, { errors: items }),
  rateLimited: () => new ApiError("rate_limited", 429, { errors: "Rate limit exceeded" }),
  conflict: (message: string) => new ApiError("conflict", 409, { error: message }),
  internal: () => new ApiError("internal", 500, { errors: "Unexpected error" }),
} as const;

/** Collects per-attribute messages, then throws them as one 422. */
export class Problems {
  private readonly fields: FieldErrors = {};

  add(attribute: string, message: string): this {
    messagesOf(this.fields, attribute).push(message);
    return this;
  }

  get empty(): boolean {
    return Object.keys(this.fields).length === 0;
  }

  get all(): FieldErrors {
    return this.fields;
  }

  throwIfAny(): void {
    if (!this.empty) throw errors.validation(this.fields);
  }
}
