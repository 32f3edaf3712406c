/** `{{#*inline}}` partials nested `depth` deep, each calling the one below ten times: 10^depth × 10 characters. */
export function inlinePartialBomb(depth: number): string {
  let s = '{{#*inline "p0"}}xxxxxxxxxx{{/inline}}';
  for (let i = 1; i <= depth; i++) s += `{{#*inline "p${i}"}}${`{{> p${i - 1}}}`.repeat(10)}{{/inline}}`;
  return `${s}{{> p${depth}}}`;
}

/**
 * No loop, no partial, 250 KB: Handlebars' compiler alone takes seconds and gigabytes over
 * it (measured: 100 KB, 2.5 s and 500 MB; 1 MB exhausts a 4 GB heap).
 */
export const COMPILE_BOMB = "{{a}}".repeat(50_000);

/** What a refused render says: the limit it broke. */
export const LIMIT_MESSAGE = /(time limit of \d+ ms|memory limit of \d+ MB) exceeded/;
