import type { ContactList } from "../api/contacts.ts";

/** A group of checkboxes, one per list, inside a fieldset whose legend names the group. */
export function ListCheckboxes({
  legend,
  lists,
  selected,
  onChange,
}: {
  legend: string;
  lists: ContactList[];
  selected: number[];
  onChange: (ids: number[]) => void;
}) {
  if (lists.length === 0) return null;
  return (
    <fieldset className="checkbox-group">
      <legend>{legend}</legend>
      {lists.map((l) => (
        <label key={l.id} className="checkbox">
          <input
            type="checkbox"
            checked={selected.includes(l.id)}
            onChange={(e) => onChange(e.target.checked ? [...selected, l.id] : selected.filter((id) => id !== l.id))}
          />
          {l.name}
        </label>
      ))}
    </fieldset>
  );
}
