import type { ReactNode } from "react";

/** A header cell: `num` right-aligns figures; `hidden` keeps the name for screen readers only (e.g. an actions column). */
export type Column = string | { label: string; num?: boolean; hidden?: boolean };

/** An actions column: it has no visible heading, but screen readers still name it. */
export const ACTIONS_COLUMN: Column = { label: "Actions", hidden: true };

/**
 * The app's table: scrolls sideways inside `.table-wrap` on narrow screens, and carries a
 * caption (visually hidden) so screen readers and tests find the table by its name.
 * `children` are the body rows. The wrapper takes keyboard focus, so a table wider than a
 * phone's screen can be scrolled sideways with the arrow keys too.
 */
export function DataTable({
  caption,
  columns,
  className,
  children,
}: {
  caption: string;
  columns: Column[];
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap" tabIndex={0}>
      <table className={className}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => {
              const col = typeof c === "string" ? { label: c } : c;
              return (
                <th key={i} scope="col" className={col.num ? "num" : undefined}>
                  {col.hidden ? <span className="visually-hidden">{col.label}</span> : col.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
