import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

type ConfirmActionProps = {
  label: string;
  confirmLabel: string;
  intent: string;
  children: ReactNode; // the warning shown before the final click
  fields?: Record<string, string>;
  /** Fields sent several times (e.g. many ids) */
  multi?: Record<string, string[]>;
  tone?: "danger" | "default";
  action?: string;
  busy?: boolean;
};

// A two-step action built on <details>: the first click only reveals the warning and the real button,
// so it works before hydration too and a stray click never deletes or halts anything.
export function ConfirmAction({
  label,
  confirmLabel,
  intent,
  children,
  fields,
  multi,
  tone = "default",
  action,
  busy,
}: ConfirmActionProps) {
  const danger = tone === "danger";
  return (
    <details className={danger ? "confirm confirm-danger" : "confirm"}>
      <summary className={danger ? "button button-danger-outline" : "button button-secondary"}>{label}</summary>
      <Form method="post" action={action} className="confirm-body">
        <div className="confirm-warning">{children}</div>
        {Object.entries(fields ?? {}).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {Object.entries(multi ?? {}).flatMap(([name, values]) =>
          values.map((value) => <input key={`${name}:${value}`} type="hidden" name={name} value={value} />),
        )}
        <button
          type="submit"
          name="intent"
          value={intent}
          className={danger ? "button button-danger" : "button button-primary"}
          disabled={busy}
        >
          {busy ? "Please wait…" : confirmLabel}
        </button>
      </Form>
    </details>
  );
}
