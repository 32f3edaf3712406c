import { useSyncExternalStore } from "react";

/**
 * A counter that moves whenever server data may have changed behind the page's back (the
 * test clock advanced, so runs moved and emails went out). Any component that loads data
 * includes `useDataVersion()` in its effect's dependencies and reloads when it moves; no
 * provider is needed, so the builder can subscribe too.
 */
let version = 0;
const listeners = new Set<() => void>();

export function bumpDataVersion(): void {
  version += 1;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useDataVersion(): number {
  return useSyncExternalStore(subscribe, () => version);
}
