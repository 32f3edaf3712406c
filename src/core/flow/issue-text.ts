/* Kept free of imports: the web app's API client uses it on every error, in the first chunk. */

/**
 * The sentence of an issue's message, without the step id or `trigger:` it is addressed by.
 * Without `stepIds`, any one-word address goes (the sentences themselves never start so).
 */
export function issueText(message: string, stepIds?: ReadonlySet<string>): string {
  const m = /^([^:\s]+): (.*)$/s.exec(message);
  if (m && (m[1] === "trigger" || stepIds === undefined || stepIds.has(m[1]!))) return m[2]!;
  return message;
}
