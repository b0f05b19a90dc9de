import { useState } from "react";

type CopyButtonProps = { text: string; label: string };

// Copies text to the clipboard. navigator.clipboard exists only in secure contexts (https, localhost);
// elsewhere a hidden textarea and execCommand still work in every browser we support.
export function CopyButton({ text, label }: CopyButtonProps) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  async function copy() {
    try {
      if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(text);
      else copyWithTextarea(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    window.setTimeout(() => setState("idle"), 2000);
  }

  return (
    <button type="button" className="button button-small" onClick={copy} aria-label={`Copy ${label}`}>
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select and copy" : "Copy"}
    </button>
  );
}

function copyWithTextarea(text: string): void {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("copy refused");
}
