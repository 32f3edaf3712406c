import { useMemo } from "react";
import type { Catalog } from "../../../../src/core/flow/validate.ts";
import type { ContactField, ContactList } from "../../api/contacts.ts";
import type { EmailTemplate } from "../../api/email.ts";
import { useApi } from "../../lib/use-api.ts";
import type { Names } from "../model/summarize.ts";

export interface CatalogData {
  fields: ContactField[];
  lists: ContactList[];
  templates: EmailTemplate[];
}

/**
 * The account's fields, lists and templates: options of the pickers, names in the node
 * summaries, and the catalog `validateDefinition` checks references against (null until
 * all three have loaded, so nothing is reported missing while it is still on its way).
 */
export function useCatalog(): { data: CatalogData | null; catalog: Catalog | null; names: Names; error: Error | null } {
  const fields = useApi<ContactField[]>("/api/contacts/fields");
  const lists = useApi<ContactList[]>("/api/contacts/lists");
  const templates = useApi<EmailTemplate[]>("/api/email_templates");
  return useMemo(() => {
    const data = fields.data && lists.data && templates.data ? { fields: fields.data, lists: lists.data, templates: templates.data } : null;
    const names: Names = {
      template: (id) => templates.data?.find((t) => t.id === id)?.name,
      list: (id) => lists.data?.find((l) => l.id === id)?.name,
      field: (tag) => fields.data?.find((f) => f.merge_tag === tag)?.name,
    };
    const catalog: Catalog | null = data && {
      lists: new Set(data.lists.map((l) => l.id)),
      fields: new Map(data.fields.map((f) => [f.merge_tag, f.data_type])),
      templates: new Set(data.templates.map((t) => t.id)),
    };
    return { data, catalog, names, error: fields.error ?? lists.error ?? templates.error };
  }, [fields.data, lists.data, templates.data, fields.error, lists.error, templates.error]);
}
