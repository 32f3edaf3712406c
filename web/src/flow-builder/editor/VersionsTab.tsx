import type { Definition } from "../../../../src/core/flow/schema.ts";
import { DataTable } from "../../components/DataTable.tsx";
import { ErrorNotice, Loading } from "../../components/PageState.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { useApi } from "../../lib/use-api.ts";
import { type Names, summarizeTrigger } from "../model/summarize.ts";

interface Version {
  version: number;
  created_at: string;
  definition: Definition;
}

/** Every published version, newest first: the automation's change history. */
export function VersionsTab({ automationId, current, names }: { automationId: number; current: number; names: Names }) {
  const versions = useApi<{ data: Version[] }>(`/api/automations/${automationId}/versions`);
  const list = versions.data ? [...versions.data.data].reverse() : undefined;
  return (
    <section aria-label="Versions">
      <ErrorNotice error={versions.error} />
      {versions.loading && !list ? <Loading /> : null}
      {list ? (
        <DataTable caption="Versions" columns={["Version", "Created", "Name", "Trigger", { label: "Steps", num: true }, "Definition"]}>
          {list.map((v) => (
            <tr key={v.version} data-testid={`version-${v.version}`}>
              <td>
                v{v.version}
                {v.version === current ? <span className="badge badge-active fb-current">current</span> : null}
              </td>
              <td>{formatDateTime(v.created_at)}</td>
              <td>{v.definition.name}</td>
              <td>{summarizeTrigger(v.definition.trigger, names)}</td>
              <td className="num">{v.definition.steps.length}</td>
              <td>
                <details>
                  <summary>JSON</summary>
                  <pre className="fb-json">{JSON.stringify(v.definition, null, 2)}</pre>
                </details>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
