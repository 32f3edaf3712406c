/**
 * One attribute's validation message as a sentence. The API answers Mailtrap's 422 shape,
 * `{"errors": {"attribute": ["message"]}}`: a message that is already a sentence (it starts
 * with a capital, e.g. a field in use by an automation) reads on its own; a Rails-style
 * fragment ("can't be blank") gets its attribute in words in front ("Email can't be blank").
 * Attribute keys are machine paths (`usage`, `base`) and never shown as such.
 */
export function fieldErrorText(attribute: string, message: string): string {
  if (/^[A-Z“"]/.test(message) || attribute === "base" || attribute === "usage") return message;
  const words = attribute.replaceAll("_", " ");
  return `${words.charAt(0).toUpperCase()}${words.slice(1)} ${message}`;
}

/** Every message of a 422 body, each as a sentence. */
export function fieldErrorTexts(errors: Readonly<Record<string, readonly string[]>>): string[] {
  return Object.entries(errors).flatMap(([attribute, messages]) => messages.map((m) => fieldErrorText(attribute, m)));
}
