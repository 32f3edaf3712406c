import { useState } from "react";

/** A read-only value with a Copy button; the field can also be selected and copied by hand. */
export function CopyBox({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // Clipboard access can be refused (permissions, plain http): the text stays selectable.
      setCopied(false);
    }
  }
  return (
    <div className="copy-box">
      <label className="form-field">
        <span className="form-label">{label}</span>
        <input readOnly value={value} onFocus={(e) => e.currentTarget.select()} className="mono" />
      </label>
      <button type="button" onClick={copy}>
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}
