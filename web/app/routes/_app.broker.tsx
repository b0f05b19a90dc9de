import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { AlertBanner } from "../components/alert-banner";
import { BrokerAccountView } from "../components/broker-account-view";
import { BrokerConnectForm } from "../components/broker-connect-form";
import { BrokerLiveControls } from "../components/broker-live-controls";
import { BrokerPluginList } from "../components/broker-plugin-list";
import { BrokerReadinessPanel } from "../components/broker-readiness-panel";
import { Toast } from "../components/toast";
import {
  BrokerAccountDetailsDocument,
  BrokerPageDocument,
  BrokerPnlExitDocument,
  BrokerReadinessDocument,
  ConnectBrokerDocument,
  DisableBrokerAutoLoginDocument,
  DisconnectBrokerDocument,
  EnableBrokerAutoLoginDocument,
  SetBrokerKillSwitchLinkDocument,
  SetBrokerPnlExitDocument,
  StopBrokerPnlExitDocument,
} from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";
import { readConnectForm } from "../lib/broker-form.server";
import { readAutoLoginForm, readPnlExitForm } from "../lib/broker-controls-form.server";
import { useSettledActionData } from "../lib/use-settled-action-data";

export const meta: MetaFunction = () => [{ title: "Broker · AlgoDatta" }];

// Your live broker accounts: connect, status and token expiry, what the broker reports now, disconnect.
export async function loader({ request }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const page = await api.execute("query", BrokerPageDocument, {});
  const meId = page.data?.me.id;
  const mine = (page.data?.brokerAccounts ?? []).filter((a) => a.userId === meId);
  // Only a connected account is read at the broker; each read is the broker's answer right now
  const details = await Promise.all(
    mine
      .filter((a) => a.status === "CONNECTED")
      .map(async (a) => {
        const read = await api.execute("query", BrokerAccountDetailsDocument, { broker: a.broker, accountId: a.id });
        return [a.id, read.data?.brokerAccountDetails ?? null] as const;
      }),
  );
  // Readiness of the accounts live strategies use, and each connected account's P&L exit at the broker (a broker
  // without one answers an error for that field only)
  const connected = mine.filter((a) => a.status === "CONNECTED");
  const readiness = connected.length
    ? ((await api.execute("query", BrokerReadinessDocument, {})).data?.brokerReadiness ?? [])
    : [];
  const controls = await Promise.all(
    connected.map(async (a) => {
      const pnl = await api.execute("query", BrokerPnlExitDocument, { broker: a.broker, accountId: a.id });
      return [
        a.id,
        { readiness: readiness.find((r) => r.accountId === a.id) ?? null, pnlExit: pnl.data?.brokerPnlExit ?? null },
      ] as const;
    }),
  );
  return data(
    {
      plugins: page.data?.brokers ?? [],
      accounts: mine,
      details: Object.fromEntries(details),
      controls: Object.fromEntries(controls),
      failure: page.failure ?? null,
      now: new Date().toISOString(),
    },
    { headers: await api.headers() },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const api = await requireAuthedApi(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "disconnect") {
    const broker = String(form.get("broker") ?? "");
    const accountId = String(form.get("accountId") ?? "") || undefined;
    const result = await api.execute("mutation", DisconnectBrokerDocument, { broker, accountId });
    const answer = result.failure
      ? { ok: false, message: result.failure.message }
      : { ok: true, message: `Disconnected from ${broker}: the access token was deleted.` };
    return data(
      { ...answer, broker, fieldErrors: {}, clientId: "", attempt: crypto.randomUUID() },
      { status: result.failure ? 400 : 200, headers: await api.headers() },
    );
  }
  const live = await liveControlAction(api, form, String(intent ?? ""));
  if (live)
    return data(
      { ...live, fieldErrors: live.fieldErrors ?? {}, clientId: "", attempt: crypto.randomUUID() },
      { status: live.ok ? 200 : 400, headers: await api.headers() },
    );
  if (intent !== "connect")
    return data(
      {
        ok: false,
        message: "Unknown action.",
        broker: "",
        fieldErrors: {},
        clientId: "",
        attempt: crypto.randomUUID(),
      },
      { status: 400, headers: await api.headers() },
    );
  const checked = readConnectForm(form);
  if (!checked.ok) {
    return data(
      {
        ok: false,
        message: null,
        broker: checked.values.broker,
        fieldErrors: checked.fieldErrors,
        clientId: checked.values.clientId,
        label: String(form.get("label") ?? ""),
        attempt: crypto.randomUUID(),
      },
      { status: 400, headers: await api.headers() },
    );
  }
  const result = await api.execute("mutation", ConnectBrokerDocument, { input: checked.input });
  if (result.failure) {
    const { fieldErrors, message } = result.failure;
    return data(
      {
        ok: false,
        message,
        broker: checked.input.broker,
        fieldErrors,
        clientId: checked.input.clientId,
        label: checked.input.label ?? "",
        attempt: crypto.randomUUID(),
      },
      { status: 400, headers: await api.headers() },
    );
  }
  return data(
    {
      ok: true,
      message: `Connected${checked.input.label ? ` ${checked.input.label}` : ""}: ${checked.input.broker} accepted the token.`,
      broker: checked.input.broker,
      fieldErrors: {},
      clientId: "",
      attempt: crypto.randomUUID(),
    },
    { headers: await api.headers() },
  );
}

export default function BrokerRoute() {
  const { plugins, accounts, details, controls, failure, now } = useLoaderData<typeof loader>();
  const outcome = useSettledActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" ? navigation.formData : undefined;
  const live = plugins.filter((p) => p.name !== "paper");
  const toast = useMemo(
    () => (outcome?.ok && outcome.message ? { tone: "success" as const, text: outcome.message } : null),
    [outcome],
  );
  return (
    <div className="stack">
      <h1>Broker</h1>
      <p className="muted">
        Paper strategies need no broker. For live orders, connect your broker account here, then set a strategy&apos;s
        Mode to Live.
      </p>
      {failure ? <AlertBanner tone="error">{failure.message}</AlertBanner> : null}
      <Toast message={toast} />
      {outcome && !outcome.ok && outcome.message && outcome.broker === "" ? (
        <AlertBanner tone="error">{outcome.message}</AlertBanner>
      ) : null}
      {live.length === 0 ? (
        <AlertBanner tone="info">
          This server loaded no live broker plugin: only paper trading is available.
        </AlertBanner>
      ) : null}
      {live.map((plugin) => {
        // Every account at this broker (the first is the default one strategies use unless they name another)
        const brokerAccounts = accounts.filter((a) => a.broker === plugin.name);
        const mine = outcome && !outcome.ok && outcome.broker === plugin.name ? outcome : null;
        const connectOutcome = mine && !("live" in mine) ? mine : null;
        const busy = (intent: string) =>
          submitting?.get("intent") === intent && submitting.get("broker") === plugin.name;
        return (
          <div className="stack" key={plugin.name}>
            {brokerAccounts.length > 1 ? (
              <ul className="muted small" data-testid={`broker-accounts-${plugin.name}`}>
                {brokerAccounts.map((a, i) => (
                  <li key={a.id} data-testid="broker-account-item">
                    {a.label ?? `${plugin.displayName} account`} · {a.clientIdMasked} · {a.status}
                    {i === 0 ? " (default)" : ""}
                  </li>
                ))}
              </ul>
            ) : null}
            {brokerAccounts.map((account) => (
              <div className="stack" key={account.id}>
                <BrokerAccountView
                  account={account}
                  displayName={plugin.displayName}
                  details={details[account.id] ?? null}
                  now={now}
                  busy={busy("disconnect")}
                />
                {controls[account.id]?.readiness ? (
                  <BrokerReadinessPanel
                    readiness={controls[account.id]!.readiness!}
                    accountId={account.id}
                    accountLabel={account.label}
                  />
                ) : null}
                {account.status === "CONNECTED" ? (
                  <BrokerLiveControls
                    account={account}
                    displayName={plugin.displayName}
                    pnlExit={controls[account.id]?.pnlExit ?? null}
                    fieldErrors={mine && "live" in mine && mine.accountId === account.id ? mine.fieldErrors : {}}
                    message={mine && "live" in mine && mine.accountId === account.id ? mine.message : null}
                    busy={busy}
                  />
                ) : null}
              </div>
            ))}
            <BrokerConnectForm
              broker={plugin.name}
              displayName={plugin.displayName}
              connected={brokerAccounts.some((a) => a.status === "CONNECTED")}
              hasAccount={brokerAccounts.length > 0}
              clientId={connectOutcome?.clientId}
              label={connectOutcome && "label" in connectOutcome ? connectOutcome.label : undefined}
              attempt={outcome?.attempt ?? ""}
              fieldErrors={connectOutcome?.fieldErrors ?? {}}
              message={connectOutcome?.message ?? null}
              busy={busy("connect")}
            />
          </div>
        );
      })}
      <BrokerPluginList plugins={plugins} />
    </div>
  );
}

type Api = Awaited<ReturnType<typeof requireAuthedApi>>;
type LiveAnswer = {
  ok: boolean;
  message: string | null;
  broker: string;
  accountId: string;
  live: true;
  fieldErrors?: Record<string, string>;
};

// The live controls' intents (automatic login, kill switch link, P&L exit); null for any other intent
async function liveControlAction(api: Api, form: FormData, intent: string): Promise<LiveAnswer | null> {
  const broker = String(form.get("broker") ?? "");
  // Which of the user's accounts at this broker (empty: the default one)
  const accountId = String(form.get("accountId") ?? "");
  const id = accountId || undefined;
  const answer = (failure: { message: string } | null | undefined, done: string): LiveAnswer =>
    failure
      ? { ok: false, message: failure.message, broker, accountId, live: true }
      : { ok: true, message: done, broker, accountId, live: true };
  if (intent === "auto_login_on") {
    const checked = readAutoLoginForm(form);
    if (!checked.ok)
      return { ok: false, message: null, broker, accountId, live: true, fieldErrors: checked.fieldErrors };
    const r = await api.execute("mutation", EnableBrokerAutoLoginDocument, {
      input: { ...checked.input, accountId: id },
    });
    return answer(r.failure, "Automatic login is on: the PIN and TOTP secret are stored encrypted.");
  }
  if (intent === "auto_login_off")
    return answer(
      (await api.execute("mutation", DisableBrokerAutoLoginDocument, { broker, accountId: id })).failure,
      "Automatic login is off; the PIN and secret were deleted.",
    );
  if (intent === "kill_switch_link") {
    const enabled = form.get("enabled") === "true";
    const r = await api.execute("mutation", SetBrokerKillSwitchLinkDocument, { broker, enabled, accountId: id });
    return answer(
      r.failure,
      enabled
        ? "The platform kill switch now also activates the broker's."
        : "The platform kill switch no longer touches the broker's.",
    );
  }
  if (intent === "pnl_exit_set") {
    const checked = readPnlExitForm(form);
    if (!checked.ok)
      return { ok: false, message: null, broker, accountId, live: true, fieldErrors: checked.fieldErrors };
    return answer(
      (await api.execute("mutation", SetBrokerPnlExitDocument, { input: { ...checked.input, accountId: id } })).failure,
      "The P&L exit is set at the broker for today.",
    );
  }
  if (intent === "pnl_exit_stop")
    return answer(
      (await api.execute("mutation", StopBrokerPnlExitDocument, { broker, accountId: id })).failure,
      "The P&L exit was stopped.",
    );
  return null;
}
