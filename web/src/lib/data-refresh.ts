import { useEffect, useState, useSyncExternalStore } from "react";

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

/**
 * A counter that moves every `intervalMs` while the page is visible (and at once when it
 * becomes visible again), for views that follow the engine live: the Reports and Runs tabs
 * keep changing after a test-clock jump, as the engine and the sender work through it.
 * `undefined` turns it off. A hidden tab polls nothing.
 */
export function useLiveTick(intervalMs: number | undefined): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (intervalMs === undefined) return;
    const visible = () => document.visibilityState === "visible";
    const timer = setInterval(() => {
      if (visible()) setTick((t) => t + 1);
    }, intervalMs);
    const onVisibility = () => {
      if (visible()) setTick((t) => t + 1);
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [intervalMs]);
  return tick;
}
