import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";

export type ToastMessage = { tone: "success" | "error" | "info"; text: string; link?: { to: string; label: string } };

const SUCCESS_MS = 8000;

// The outcome of an action, shown at the bottom right. Successes fade after a few seconds; errors stay until
// dismissed. `message` is a new object for each action answer, so a repeated text shows again.
export function Toast({ message }: { message: ToastMessage | null | undefined }) {
  const [shown, setShown] = useState(message ?? null);
  useEffect(() => {
    setShown(message ?? null);
    if (!message || message.tone === "error") return;
    const timer = window.setTimeout(() => setShown(null), SUCCESS_MS);
    return () => window.clearTimeout(timer);
  }, [message]);
  return (
    <div className="toasts" aria-live="polite">
      {shown ? (
        <div
          className={`toast toast-${shown.tone}`}
          role={shown.tone === "error" ? "alert" : "status"}
          data-testid="toast"
        >
          <div className="toast-body">
            {shown.text}
            {shown.link ? (
              <>
                {" "}
                <Link to={shown.link.to}>{shown.link.label}</Link>
              </>
            ) : null}
          </div>
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => setShown(null)}>
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}
