import type { NotificationKind } from "../graphql/generated/schema-types";
import {
  AddNotificationChannelDocument,
  RemoveNotificationChannelDocument,
  RemoveNotificationPreferencesDocument,
  SendTestNotificationDocument,
  SetNotificationPreferencesDocument,
  VerifyNotificationChannelDocument,
} from "../graphql/generated/graphql";
import type { AuthedApi } from "./authed-api.server";
import { readEvents } from "./notification-events";

export type NotificationOutcome = {
  intent: string;
  ok: boolean;
  message: string | null;
  // The form the outcome belongs to (a channel id, a preference scope, "new")
  target: string;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
};

const KINDS: readonly NotificationKind[] = ["TELEGRAM", "EMAIL"];
const ID = /^[A-Za-z0-9-]{1,64}$/;

const outcome = (intent: string, target: string, fields: Partial<NotificationOutcome>): NotificationOutcome => ({
  intent,
  target,
  ok: false,
  message: null,
  fieldErrors: {},
  values: {},
  ...fields,
});

// The notifications page's forms: add a channel (a code is sent through it), verify it, send a test, remove it,
// and the event lists (the default, a strategy's own)
export async function runNotificationAction(api: AuthedApi, form: FormData): Promise<NotificationOutcome> {
  const intent = String(form.get("intent") ?? "");
  const id = String(form.get("id") ?? "");
  if (intent === "add") {
    const kind = String(form.get("kind") ?? "") as NotificationKind;
    const target = String(form.get("target") ?? "").trim();
    const values = { kind, target };
    const where = String(form.get("from") ?? "new");
    if (!KINDS.includes(kind))
      return outcome(intent, where, { fieldErrors: { kind: "Choose Telegram or email." }, values });
    if (!target)
      return outcome(intent, where, {
        fieldErrors: {
          target: kind === "TELEGRAM" ? "Enter the chat id the bot sent you." : "Enter an email address.",
        },
        values,
      });
    const result = await api.execute("mutation", AddNotificationChannelDocument, { input: { kind, target } });
    if (result.failure) {
      // The api's sentence (what failed and what to do) beside the field it names, else above the form
      const field = result.failure.fieldErrors.target ? "target" : result.failure.fieldErrors.kind ? "kind" : null;
      return outcome(intent, where, {
        message: field ? null : result.failure.message,
        fieldErrors: field ? { [field]: result.failure.message } : {},
        values,
      });
    }
    const channel = result.data.addNotificationChannel;
    const message = channel.verified
      ? "This channel is verified already."
      : `A 6-digit code was sent to ${kind === "TELEGRAM" ? "Telegram chat" : ""} ${channel.target}. Enter it below to start receiving notifications.`;
    return outcome(intent, channel.id, { ok: true, message: message.replace(/\s+/g, " ") });
  }
  if (intent === "prefs-remove") {
    const scope = String(form.get("scope") ?? "");
    if (!ID.test(scope)) return outcome(intent, scope, { message: "Unknown strategy." });
    const result = await api.execute("mutation", RemoveNotificationPreferencesDocument, { strategyId: scope });
    if (result.failure) return outcome(intent, scope, { message: result.failure.message });
    return outcome(intent, scope, { ok: true, message: "This strategy follows the default list again." });
  }
  if (!ID.test(id) && intent !== "prefs") return outcome(intent, "", { message: "Unknown channel." });
  if (intent === "verify") {
    const code = String(form.get("code") ?? "").trim();
    if (!/^\d{6}$/.test(code)) return outcome(intent, id, { fieldErrors: { code: "Enter the 6 digits of the code." } });
    const result = await api.execute("mutation", VerifyNotificationChannelDocument, { id, code });
    if (result.failure)
      return outcome(intent, id, { fieldErrors: { code: result.failure.fieldErrors.code ?? result.failure.message } });
    return outcome(intent, id, {
      ok: true,
      message: `Verified: notifications now go to ${result.data.verifyNotificationChannel.target}.`,
    });
  }
  if (intent === "test") {
    const result = await api.execute("mutation", SendTestNotificationDocument, { channelId: id });
    if (result.failure) return outcome(intent, id, { message: result.failure.message });
    return outcome(intent, id, { ok: true, message: "Test message queued: its delivery shows in the log below." });
  }
  if (intent === "remove") {
    const result = await api.execute("mutation", RemoveNotificationChannelDocument, { id });
    if (result.failure) return outcome(intent, id, { message: result.failure.message });
    return outcome(intent, id, { ok: true, message: "Channel removed: nothing more is sent to it." });
  }
  if (intent === "prefs") {
    const scope = String(form.get("scope") ?? "");
    if (scope && !ID.test(scope)) return outcome(intent, scope, { message: "Unknown strategy." });
    const events = readEvents(form.getAll("events"));
    const result = await api.execute("mutation", SetNotificationPreferencesDocument, {
      input: { strategyId: scope || null, events },
    });
    if (result.failure) return outcome(intent, scope, { message: result.failure.message });
    const what =
      events.length === 0
        ? "Nothing will be sent"
        : `${events.length} ${events.length === 1 ? "event" : "events"} will be sent`;
    return outcome(intent, scope, {
      ok: true,
      message: `Saved. ${what} ${scope ? "for this strategy" : "for your strategies that have no list of their own"}.`,
    });
  }
  return outcome(intent, "", { message: "Unknown action." });
}
