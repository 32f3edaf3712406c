import { type ReactElement, type ReactNode, cloneElement, isValidElement, useId } from "react";

type ControlProps = { id?: string; "aria-describedby"?: string; "aria-invalid"?: boolean };

/**
 * A labelled control: the label names it (and only it: the hint and the server's messages
 * for this attribute, from a 422 `errors[attribute]`, describe it instead), so screen
 * readers and tests find the control by its label alone.
 */
export function FormField({
  label,
  errors,
  hint,
  children,
  className,
}: {
  label: string;
  errors?: string[] | undefined;
  hint?: ReactNode;
  children: ReactElement<ControlProps>;
  className?: string;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const control = isValidElement(children)
    ? cloneElement(children, { id, "aria-describedby": describedBy, ...(errorId ? { "aria-invalid": true } : {}) })
    : children;
  return (
    <div className={`form-field${className ? ` ${className}` : ""}`}>
      <label htmlFor={id} className="form-label">
        {label}
      </label>
      {control as ReactNode}
      {hint ? (
        <span id={hintId} className="form-hint">
          {hint}
        </span>
      ) : null}
      {errorId ? (
        <span id={errorId} className="form-error">
          {errors?.join(", ")}
        </span>
      ) : null}
    </div>
  );
}
