/** The end of an exhaustive switch: a new member of a union that is not handled fails to compile here. */
export function unreachable(x: never): never {
  throw new Error(`unhandled case ${JSON.stringify(x)}`);
}
