import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client.ts";
import { useDataVersion } from "./data-refresh.ts";

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
 */
export function useApi<T>(path: string | null): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const version = useDataVersion();

  useEffect(() => {
    if (path === null) return;
    let current = true;
    setLoading(true);
    api<T>("GET", path).then(
      (answer) => {
        if (!current) return;
        setData(answer);
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
  }, [path, tick, version]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}
