import { Form } from "@remix-run/react";
import type { NotificationChannelRowFragment } from "../graphql/generated/graphql";
import { formatIst } from "../lib/ist-time";
import type { NotificationOutcome } from "../lib/notification-actions.server";
import { ConfirmAction } from "./confirm-action";
import { FormField } from "./form-field";

type ChannelsProps = {
  channels: NotificationChannelRowFragment[];
  outcome: NotificationOutcome | undefined;
  busy: string | null;
};

const kindLabel = (kind: string) => (kind === "TELEGRAM" ? "Telegram" : "Email");

// Your channels: a new one waits for the code sent through it; a verified one can be tested; any can be removed
export function NotificationChannels({ channels, outcome, busy }: ChannelsProps) {
  if (channels.length === 0) {
    return (
      <div className="empty-state" data-testid="no-channels">
        <p>No channel yet: add a Telegram chat or an email address below, then enter the code it receives.</p>
      </div>
    );
  }
  return (
    <ul className="stack plain-list" data-testid="channel-list">
      {channels.map((c) => {
        const mine = outcome?.target === c.id ? outcome : undefined;
        return (
          <li
            key={c.id}
            className="form-group stack-tight"
            data-channel-id={c.id}
            data-verified={c.verified ? "true" : "false"}
          >
            <div className="card-head">
              <strong>
                {kindLabel(c.kind)} <span className="mono">{c.target}</span>
              </strong>
              <span className={c.verified ? "badge badge-ok" : "badge badge-warn"} data-testid="channel-status">
                {c.verified ? "Verified" : "Waiting for the code"}
              </span>
            </div>
            <span className="muted small">Added {formatIst(c.createdAt)}</span>
            {c.verified ? null : (
              <Form method="post" className="inline-fields" noValidate>
                <input type="hidden" name="id" value={c.id} />
                <FormField
                  label="6-digit code"
                  name={`code-${c.id}`}
                  error={mine?.intent === "verify" ? mine.fieldErrors.code : undefined}
                >
                  {(a11y) => (
                    <input
                      {...a11y}
                      name="code"
                      inputMode="numeric"
                      autoComplete="one-time-code"
                      pattern="\d{6}"
                      maxLength={6}
                      className="mono"
                    />
                  )}
                </FormField>
                <button
                  type="submit"
                  name="intent"
                  value="verify"
                  className="button button-primary"
                  disabled={busy === "verify"}
                >
                  {busy === "verify" ? "Checking…" : "Verify"}
                </button>
              </Form>
            )}
            <div className="button-row">
              {c.verified ? (
                <Form method="post">
                  <input type="hidden" name="id" value={c.id} />
                  <button
                    type="submit"
                    name="intent"
                    value="test"
                    className="button button-small"
                    disabled={busy === "test"}
                  >
                    Send a test message
                  </button>
                </Form>
              ) : (
                <Form method="post">
                  <input type="hidden" name="kind" value={c.kind} />
                  <input type="hidden" name="target" value={c.target} />
                  <input type="hidden" name="from" value={c.id} />
                  <button
                    type="submit"
                    name="intent"
                    value="add"
                    className="button button-small"
                    disabled={busy === "add"}
                  >
                    Send a new code
                  </button>
                </Form>
              )}
              <ConfirmAction
                label="Remove"
                confirmLabel={`Yes, remove ${c.target}`}
                intent="remove"
                fields={{ id: c.id }}
                tone="danger"
                busy={busy === "remove"}
              >
                Nothing more is sent to this {c.kind === "TELEGRAM" ? "chat" : "address"}; messages still waiting for it
                are dropped.
              </ConfirmAction>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

type AddProps = { outcome: NotificationOutcome | undefined; busy: boolean };

export function AddChannelForm({ outcome, busy }: AddProps) {
  const mine = outcome?.intent === "add" && outcome.target === "new" && !outcome.ok ? outcome : undefined;
  return (
    <Form
      method="post"
      className="stack form-narrow"
      noValidate
      key={outcome?.intent === "add" && outcome.ok ? `done-${outcome.target}` : "form"}
    >
      <input type="hidden" name="from" value="new" />
      <FormField label="Send to" name="kind" error={mine?.fieldErrors.kind}>
        {(a11y) => (
          <select {...a11y} name="kind" defaultValue={mine?.values.kind ?? "TELEGRAM"}>
            <option value="TELEGRAM">Telegram</option>
            <option value="EMAIL">Email</option>
          </select>
        )}
      </FormField>
      <FormField
        label="Telegram chat id or email address"
        name="target"
        error={mine?.fieldErrors.target}
        hint="Telegram: open a chat with this server's bot and send /start; it answers with your chat id."
      >
        {(a11y) => <input {...a11y} name="target" defaultValue={mine?.values.target ?? ""} autoComplete="off" />}
      </FormField>
      <div>
        <button type="submit" name="intent" value="add" className="button button-primary" disabled={busy}>
          {busy ? "Sending the code…" : "Send a verification code"}
        </button>
      </div>
    </Form>
  );
}
