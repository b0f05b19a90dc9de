import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { AlertBanner } from "../components/alert-banner";
import { AddChannelForm, NotificationChannels } from "../components/notification-channels";
import { NotificationLog } from "../components/notification-log";
import { NotificationPreferences } from "../components/notification-preferences";
import { Toast } from "../components/toast";
import { NotificationsPageDocument } from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";
import { runNotificationAction } from "../lib/notification-actions.server";
import { useSettledActionData } from "../lib/use-settled-action-data";

export const meta: MetaFunction = () => [{ title: "Notifications · AlgoDatta" }];

const LOG_PAGE_SIZE = 20;

// Telegram and email notifications: channels (verified with a code), what to send, and the delivery log (paged
// with ?after=<cursor>, newest first)
export async function loader({ request }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const after = new URL(request.url).searchParams.get("after") || null;
  const result = await api.execute("query", NotificationsPageDocument, { first: LOG_PAGE_SIZE, after });
  const page = result.data;
  return data(
    {
      channels: page?.notificationChannels ?? [],
      preferences: page?.notificationPreferences ?? [],
      // Your own strategies: an admin sets lists only for those
      strategies:
        page?.strategies.filter((s) => s.userId === page.me.id).map((s) => ({ id: s.id, name: s.name })) ?? [],
      log: page?.notifications ?? null,
      paged: Boolean(after),
      failure: result.failure ?? null,
    },
    { headers: await api.headers() },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const api = await requireAuthedApi(request);
  const outcome = await runNotificationAction(api, await request.formData());
  return data(outcome, { status: outcome.ok ? 200 : 400, headers: await api.headers() });
}

export default function NotificationsRoute() {
  const { channels, preferences, strategies, log, paged, failure } = useLoaderData<typeof loader>();
  const outcome = useSettledActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : null;
  const toast = useMemo(
    () => (outcome?.ok && outcome.message ? { tone: "success" as const, text: outcome.message } : null),
    [outcome],
  );
  const channelNames = Object.fromEntries(
    channels.map((c) => [c.id, `${c.kind === "TELEGRAM" ? "Telegram" : "Email"} ${c.target}`]),
  );
  const verified = channels.some((c) => c.verified);
  return (
    <div className="stack">
      <h1>Notifications</h1>
      <p className="muted">
        Fills, refusals and problems sent to Telegram or email as they happen. Only verified channels receive messages.
      </p>
      {failure ? <AlertBanner tone="error">{failure.message}</AlertBanner> : null}
      {outcome && !outcome.ok && outcome.message ? <AlertBanner tone="error">{outcome.message}</AlertBanner> : null}
      <Toast message={toast} />
      <div className="detail-grid detail-grid-even">
        <section className="card stack" aria-labelledby="channels-title">
          <h2 id="channels-title">Your channels</h2>
          <NotificationChannels channels={channels} outcome={outcome} busy={busy} />
        </section>
        <section className="card stack" aria-labelledby="add-title">
          <h2 id="add-title">Add a channel</h2>
          <AddChannelForm outcome={outcome} busy={busy === "add"} />
        </section>
      </div>
      <section className="card stack" aria-labelledby="prefs-title">
        <h2 id="prefs-title">What to send</h2>
        {verified ? null : <p className="muted small">These apply once a channel is verified.</p>}
        <NotificationPreferences
          preferences={preferences}
          strategies={strategies}
          busy={busy === "prefs" || busy === "prefs-remove"}
        />
      </section>
      <section className="card stack" aria-labelledby="log-title">
        <div className="card-head">
          <h2 id="log-title">Delivery log</h2>
          {log ? (
            <span className="muted small" data-testid="log-count">
              {log.totalCount} messages in all, newest first
            </span>
          ) : null}
        </div>
        {log && log.edges.length > 0 ? (
          <NotificationLog entries={log.edges.map((e) => e.node)} channels={channelNames} />
        ) : (
          <div className="empty-state">
            <p>
              {paged
                ? "No older messages."
                : "Nothing sent yet. Verify a channel and send a test message to see it here."}
            </p>
          </div>
        )}
        <div className="button-row">
          {paged ? (
            <Link to="/notifications" className="button button-secondary">
              Newest
            </Link>
          ) : null}
          {log?.pageInfo.hasNextPage && log.pageInfo.endCursor ? (
            <Link
              to={`/notifications?after=${encodeURIComponent(log.pageInfo.endCursor)}`}
              className="button button-secondary"
            >
              Older messages
            </Link>
          ) : null}
        </div>
      </section>
    </div>
  );
}
