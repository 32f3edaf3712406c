import type { ReactNode } from "react";
import { api } from "../api/client.ts";
import { ConfirmButton } from "./ConfirmButton.tsx";
import { RenameForm } from "./RenameForm.tsx";

/**
 * The actions cell of a named resource at `path`: Rename (PATCH its name, when `rename`) and
 * Delete (after a confirmation whose body is `children`); `onChange` reloads the table.
 */
export function NamedRowActions({
  name,
  noun,
  path,
  rename = false,
  onChange,
  children,
}: {
  name: string;
  noun: string;
  path: string;
  rename?: boolean;
  onChange: () => void;
  children: ReactNode;
}) {
  return (
    <td className="row-actions">
      {rename ? (
        <RenameForm current={name} label={`New name for ${name}`} onSave={(n) => api("PATCH", path, { name: n }).then(onChange)} />
      ) : null}
      <ConfirmButton
        label="Delete"
        ariaLabel={`Delete ${name}`}
        title={`Delete the ${noun} “${name}”?`}
        onConfirm={() => api("DELETE", path).then(onChange)}
      >
        {children}
      </ConfirmButton>
    </td>
  );
}
