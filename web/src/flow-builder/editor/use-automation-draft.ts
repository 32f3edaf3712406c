import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Definition } from "../../../../src/core/flow/schema.ts";
import type { Automation } from "../../api/automations.ts";
import { api } from "../../api/client.ts";
import { clearLocalDrafts, type LocalDraft, readLocalDraft, writeLocalDraft } from "./local-draft.ts";

export type SaveState = { kind: "saved" } | { kind: "saving" } | { kind: "error"; error: Error };

const AUTOSAVE_MS = 600;

export function definitionOf(a: Automation): Definition {
  return { name: a.name, trigger: a.trigger, entry_step_id: a.entry_step_id, steps: a.steps, settings: a.settings };
}

const json = (d: Definition | null) => (d === null ? "" : JSON.stringify(d));

/**
 * The automation being edited and its local draft. A draft automation autosaves (debounced
 * PATCH, one request at a time, the newest edit last); a live one keeps edits local until
 * `publish`, because every edit of a live automation is a new version that contacts in flight
 * may move onto: nothing but the Publish dialog ever sends a live automation's edit. Those
 * edits are kept in this browser (`local-draft.ts`) and offered back (`offer`) on return.
 */
export function useAutomationDraft(automationId: string) {
  const path = `/api/automations/${encodeURIComponent(automationId)}`;
  const [automation, setAutomation] = useState<Automation | null>(null);
  const [loadError, setLoadError] = useState<Error | null>(null);
  const [draft, setDraft] = useState<Definition | null>(null);
  const [saved, setSaved] = useState("");
  const [save, setSave] = useState<SaveState>({ kind: "saved" });
  const [offer, setOffer] = useState<LocalDraft | null>(null);
  const isDraftRef = useRef(false);
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
        const kept = data.status === "draft" ? null : readLocalDraft(data.id, data.version);
        if (kept && json(kept.definition) !== json(definitionOf(data))) setOffer(kept);
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
  isDraftRef.current = isDraft;
  const dirty = draft !== null && json(draft) !== saved;

  // A live automation's edit is kept in this browser as it is typed, and forgotten once it is
  // published or undone; while an earlier edit is on offer, it is left alone until answered.
  const automationKey = automation && !isDraft ? { id: automation.id, version: automation.version } : null;
  const keyId = automationKey?.id;
  const keyVersion = automationKey?.version;
  useEffect(() => {
    if (keyId === undefined || keyVersion === undefined || offer !== null || draft === null) return;
    if (dirty) writeLocalDraft(keyId, keyVersion, draft);
    else clearLocalDrafts(keyId);
  }, [keyId, keyVersion, offer, draft, dirty]);

  useEffect(() => {
    if (!isDraft || !dirty || draft === null) return;
    setSave({ kind: "saving" });
    timer.current = setTimeout(() => void enqueue(draft), AUTOSAVE_MS);
    return () => clearTimeout(timer.current);
  }, [draft, dirty, isDraft, enqueue]);

  // Leaving a draft's page with an edit still waiting for its debounce sends it anyway. Never
  // a live automation's: that would publish it (a new version, runs in flight moved onto it).
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      if (!isDraftRef.current) return;
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
      clearLocalDrafts(data.id);
      adopt(data, def);
    },
    [path, adopt],
  );

  /** Applies an edit to the local draft (autosaved when the automation is a draft). */
  const edit = useCallback((change: (d: Definition) => Definition) => setDraft((d) => (d ? change(d) : d)), []);

  /** Undoes the unpublished edits, here and in this browser's storage. */
  const discard = useCallback(() => {
    if (!automation) return;
    clearLocalDrafts(automation.id);
    setDraft(definitionOf(automation));
  }, [automation]);

  /** Takes up the edit kept in this browser from an earlier visit. */
  const restoreOffer = useCallback(() => {
    if (!offer) return;
    setDraft(offer.definition);
    setOffer(null);
  }, [offer]);

  const dismissOffer = useCallback(() => {
    if (automation) clearLocalDrafts(automation.id);
    setOffer(null);
  }, [automation]);

  /** Edits of a live automation that only the Publish dialog may send. */
  const unpublished = dirty && !isDraft;

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
    () => ({
      automation,
      loadError,
      draft,
      edit,
      dirty,
      unpublished,
      save,
      flush,
      publish,
      discard,
      setStatus,
      offer,
      restoreOffer,
      dismissOffer,
    }),
    [automation, loadError, draft, edit, dirty, unpublished, save, flush, publish, discard, setStatus, offer, restoreOffer, dismissOffer],
  );
}

export type DraftState = ReturnType<typeof useAutomationDraft>;
