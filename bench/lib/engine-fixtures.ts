import type { ApiClient } from "./api-client.ts";

/** The API's largest import request. */
export const IMPORT_CHUNK = 50_000;

export type StepDef = Record<string, unknown> & { id: string; type: string; next: string | null };

/** Creates an automation through the API and activates it; answers its id. */
export async function activeAutomation(api: ApiClient, name: string, trigger: Record<string, unknown>, steps: StepDef[]): Promise<number> {
  const created = await api.post<{ data?: { id: number }; id?: number }>("/automations", {
    name,
    trigger,
    entry_step_id: steps[0]!.id,
    steps,
  });
  const id = created.data?.id ?? created.id;
  if (typeof id !== "number") throw new Error(`no automation id in ${JSON.stringify(created)}`);
  await api.post(`/automations/${id}/activate`, {});
  return id;
}

export function email(i: number): string {
  return `contact${i}@bench.example.com`;
}

/**
 * Submits imports of contacts [0, n) in requests of up to 50,000 (all POSTed back to back:
 * the jobs queue) and answers the import ids. `extra` adds attributes to every contact.
 */
export async function submitImports(api: ApiClient, n: number, extra: Record<string, unknown> = {}): Promise<number[]> {
  const bodies: { contacts: Record<string, unknown>[] }[] = [];
  for (let start = 0; start < n; start += IMPORT_CHUNK) {
    bodies.push({ contacts: Array.from({ length: Math.min(IMPORT_CHUNK, n - start) }, (_, k) => ({ email: email(start + k), ...extra })) });
  }
  const ids: number[] = [];
  for (const body of bodies) ids.push((await api.post<{ id: number }>("/contacts/imports", body)).id);
  return ids;
}

/** Waits until every import has finished; throws if one failed. */
export async function awaitImports(api: ApiClient, ids: number[], timeoutMs = 10 * 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (const id of ids) {
    for (;;) {
      const view = await api.get<{ status: string }>(`/contacts/imports/${id}`);
      if (view.status === "finished") break;
      if (view.status === "failed") throw new Error(`import ${id} failed`);
      if (performance.now() > deadline) throw new Error(`import ${id} not finished after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
