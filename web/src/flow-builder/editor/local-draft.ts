import type { Definition } from "../../../../src/core/flow/schema.ts";

/**
 * Unpublished edits of a live automation, kept in this browser (localStorage) until the user
 * publishes, discards or restores them. Keyed by automation and the version the edit started
 * from: once another version is published, an edit of the older one is no longer offered.
 */
export interface LocalDraft {
  savedAt: string;
  definition: Definition;
}

const PREFIX = "mailwright:unpublished:";
const keyOf = (automationId: number, version: number) => `${PREFIX}${automationId}:v${version}`;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // Storage refused (privacy settings): nothing is kept, nothing breaks.
  }
}

export function readLocalDraft(automationId: number, version: number): LocalDraft | null {
  const raw = storage()?.getItem(keyOf(automationId, version));
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<LocalDraft>;
    if (typeof parsed.savedAt !== "string" || typeof parsed.definition !== "object" || parsed.definition === null) return null;
    return parsed as LocalDraft;
  } catch {
    return null;
  }
}

export function writeLocalDraft(automationId: number, version: number, definition: Definition): void {
  const s = storage();
  if (!s) return;
  try {
    s.setItem(keyOf(automationId, version), JSON.stringify({ savedAt: new Date().toISOString(), definition } satisfies LocalDraft));
  } catch {
    // Quota exceeded: the edit is still on screen; leaving will ask.
  }
}

/** Forgets every kept edit of this automation (all versions). */
export function clearLocalDrafts(automationId: number): void {
  const s = storage();
  if (!s) return;
  const mine = `${PREFIX}${automationId}:`;
  const keys: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const k = s.key(i);
    if (k?.startsWith(mine)) keys.push(k);
  }
  for (const k of keys) s.removeItem(k);
}
