import { errors } from "../errors.ts";

/** Path ids are positive integers; anything else names nothing, so it is a 404. */
export function parseId(raw: string | undefined): number {
  if (raw === undefined || !/^[1-9]\d{0,15}$/.test(raw)) throw errors.notFound();
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw errors.notFound();
  return n;
}
