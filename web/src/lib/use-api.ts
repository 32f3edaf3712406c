import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api/client.ts";
import { useDataVersion, useLiveTick } from "./data-refresh.ts";

export interface Resource<T> {
  data: T | undefined;
  error: Error | null;
  loading: boolean;
  reload: () => void;
  /** Replaces the data locally (after a write that answered the new state). */
  setData: (data: T) => void;
}

/**
 * GETs `path` (null: nothing to load yet) and keeps the answer, the error and a loading
 * flag. Reloads when the path changes, on `reload()`, and when the data version moves.
 * Earlier answers that arrive late are dropped so a fast typist never sees stale results.
 * `live` (milliseconds) also reloads on that interval while the page is visible; a reload
 * keeps the previous answer on screen until the new one arrives.
 */
export function useApi<T>(path: string | null, opts: { live?: number } = {}): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const version = useDataVersion();
  const live = useLiveTick(path === null ? undefined : opts.live);
  // The last answer as text: an unchanged answer keeps the same object, so a live view does not re-render every poll.
  const last = useRef<string | null>(null);

  useEffect(() => {
    if (path === null) return;
    let current = true;
    setLoading(true);
    api<T>("GET", path).then(
      (answer) => {
        if (!current) return;
        const text = JSON.stringify(answer);
        if (text !== last.current) {
          last.current = text;
          setData(answer);
        }
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (!current) return;
        setError(err instanceof Error ? err : new Error(String(err)));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [path, tick, version, live]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const replace = useCallback((next: T) => {
    last.current = JSON.stringify(next);
    setData(next);
  }, []);
  return { data, error, loading, reload, setData: replace };
}
