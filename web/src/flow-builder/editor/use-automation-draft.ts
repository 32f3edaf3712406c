import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Definition } from "../../../../src/core/flow/schema.ts";
import type { Automation } from "../../api/automations.ts";
import { api } from "../../api/client.ts";

export type SaveState = { kind: "saved" } | { kind: "saving" } | { kind: "error"; error: Error };

const AUTOSAVE_MS = 600;

export function definitionOf(a: Automation): Definition {
  return { name: a.name, trigger: a.trigger, entry_step_id: a.entry_step_id, steps: a.steps, settings: a.settings };
}

const json = (d: Definition | null) => (d === null ? "" : JSON.stringify(d));

/**
 * The automation being edited and its local draft. A draft automation autosaves (debounced
 * PATCH, one request at a time, the newest edit last); a live one keeps edits local until
 * `publish`, because every edit of a live automation is a new version that runs move onto.
 */
export function useAutomationDraft(automationId: string) {
  const path = `/api/automations/${encodeURIComponent(automationId)}`;
  const [automation, setAutomation] = useState<Automation | null>(null);
  const [loadError, setLoadError] = useState<Error | null>(null);
  const [draft, setDraft] = useState<Definition | null>(null);
  const [saved, setSaved] = useState("");
  const [save, setSave] = useState<SaveState>({ kind: "saved" });
  const savedRef = useRef("");
  const latest = useRef<Definition | null>(null);
  const pending = useRef<Definition | null>(null);
  const running = useRef<Promise<void> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  latest.current = draft;

  const adopt = useCallback((a: Automation, def: Definition) => {
    savedRef.current = json(def);
    setSaved(savedRef.current);
    setAutomation(a);
  }, []);

  useEffect(() => {
    let current = true;
    api<{ data: Automation }>("GET", path).then(
      ({ data }) => {
        if (!current) return;
        adopt(data, definitionOf(data));
        setDraft(definitionOf(data));
      },
      (err: unknown) => current && setLoadError(err instanceof Error ? err : new Error(String(err))),
    );
    return () => {
      current = false;
    };
  }, [path, adopt]);

  const run = useCallback(async () => {
    while (pending.current) {
      const def = pending.current;
      pending.current = null;
      setSave({ kind: "saving" });
      try {
        const { data } = await api<{ data: Automation }>("PATCH", path, def);
        adopt(data, def);
      } catch (err) {
        setSave({ kind: "error", error: err instanceof Error ? err : new Error(String(err)) });
        return;
      }
    }
    if (json(latest.current) === savedRef.current) setSave({ kind: "saved" });
  }, [path, adopt]);

  const enqueue = useCallback(
    (def: Definition) => {
      pending.current = def;
      running.current ??= run().finally(() => {
        running.current = null;
      });
      return running.current;
    },
    [run],
  );

  const isDraft = automation?.status === "draft";
  const dirty = draft !== null && json(draft) !== saved;

  useEffect(() => {
    if (!isDraft || !dirty || draft === null) return;
    setSave({ kind: "saving" });
    timer.current = setTimeout(() => void enqueue(draft), AUTOSAVE_MS);
    return () => clearTimeout(timer.current);
  }, [draft, dirty, isDraft, enqueue]);

  // Leaving the page with an edit still waiting for its debounce sends it anyway.
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      if (latest.current && json(latest.current) !== savedRef.current && pending.current === null && running.current === null) {
        void api("PATCH", path, latest.current).catch(() => undefined);
      }
    },
    [path],
  );

  // Closing the tab with unpublished edits of a live automation, or edits that failed to save,
  // asks first (a draft's edit still in its debounce is sent when the editor unmounts).
  const unsaved = (dirty && !isDraft) || save.kind === "error";
  useEffect(() => {
    if (!unsaved) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [unsaved]);

  /** Saves a draft's last edit now (before activating it). */
  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    if (latest.current && json(latest.current) !== savedRef.current) await enqueue(latest.current);
    else if (running.current) await running.current;
    if (json(latest.current) !== savedRef.current) throw new Error("The last changes could not be saved");
  }, [enqueue]);

  /** A live automation's edits, as a new version; `inFlight` says what runs in flight do. */
  const publish = useCallback(
    async (inFlight: "move" | "keep") => {
      const def = latest.current;
      if (!def) return;
      const { data } = await api<{ data: Automation }>("PATCH", path, { ...def, in_flight: inFlight });
      adopt(data, def);
    },
    [path, adopt],
  );

  /** Applies an edit to the local draft (autosaved when the automation is a draft). */
  const edit = useCallback((change: (d: Definition) => Definition) => setDraft((d) => (d ? change(d) : d)), []);

  const discard = useCallback(() => {
    if (automation) setDraft(definitionOf(automation));
  }, [automation]);

  const setStatus = useCallback(
    async (action: "activate" | "pause" | "disable") => {
      if (automation?.status === "draft") await flush();
      const { data } = await api<{ data: Automation }>("POST", `${path}/${action}`);
      setAutomation(data);
      return data;
    },
    [automation?.status, flush, path],
  );

  return useMemo(
    () => ({ automation, loadError, draft, edit, dirty, save, flush, publish, discard, setStatus }),
    [automation, loadError, draft, edit, dirty, save, flush, publish, discard, setStatus],
  );
}

export type DraftState = ReturnType<typeof useAutomationDraft>;
