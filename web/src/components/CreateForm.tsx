import type { FormEvent, ReactNode } from "react";

/** A one-line create form: the fields, then a primary submit button named like the form unless `submitLabel` says otherwise. */
export function CreateForm({
  label,
  submitLabel = label,
  className = "panel inline-form",
  onSubmit,
  children,
}: {
  label: string;
  submitLabel?: string;
  className?: string;
  onSubmit: () => void;
  children: ReactNode;
}) {
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit();
  }
  return (
    <form className={className} onSubmit={submit} aria-label={label}>
      {children}
      <button type="submit" className="button-primary">
        {submitLabel}
      </button>
    </form>
  );
}
