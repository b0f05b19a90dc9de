import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { AlertBanner } from "../components/alert-banner";
import { DeploymentPanel } from "../components/deployment-panel";
import { ModeBadge } from "../components/status-badge";
import { StrategyControls } from "../components/strategy-controls";
import { StrategySettingsForm } from "../components/strategy-settings-form";
import { StrategyTargetsPanel } from "../components/strategy-targets-panel";
import { TestAlertPanel } from "../components/test-alert-panel";
import { Toast } from "../components/toast";
import { BrokersDocument, StrategyDocument, StrategyTargetsDocument } from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";
import { formatIst } from "../lib/ist-time";
import { runStrategyAction } from "../lib/strategy-actions.server";
import { settingsFromStrategy } from "../lib/strategy-settings.validate";
import { useSettledActionData } from "../lib/use-settled-action-data";
import { showTimeframe } from "../lib/timeframe";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: `${loaded?.strategy?.name ?? "Strategy"} · AlgoDatta` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const [strategy, brokers, targets] = await Promise.all([
    api.execute("query", StrategyDocument, { id: params.id ?? "" }),
    api.execute("query", BrokersDocument, {}),
    api.execute("query", StrategyTargetsDocument, { id: params.id ?? "" }),
  ]);
  if (strategy.data && !strategy.data.strategy)
    throw new Response("This strategy does not exist or is not yours.", { status: 404 });
  return data(
    {
      strategy: strategy.data?.strategy ?? null,
      brokers: brokers.data?.brokers ?? [{ name: "paper", displayName: "Paper" }],
      targets: targets.data?.strategy ?? null,
      accounts: targets.data?.brokerAccounts ?? [],
      failure: strategy.failure ?? null,
    },
    { headers: await api.headers() },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const api = await requireAuthedApi(request);
  const outcome = await runStrategyAction(api, params.id ?? "", await request.formData());
  const status = outcome.message || Object.keys(outcome.fieldErrors).length > 0 ? 400 : 200;
  return data(outcome, { status, headers: await api.headers() });
}

export default function StrategyRoute() {
  const { strategy, brokers, targets, accounts, failure } = useLoaderData<typeof loader>();
  const outcome = useSettledActionData<typeof action>();
  const navigation = useNavigation();
  const [search] = useSearchParams();
  const busyIntent = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : null;
  const toast = useMemo(() => (outcome?.done ? { tone: "success" as const, text: outcome.done } : null), [outcome]);
  if (!strategy)
    return <AlertBanner tone="error">{failure?.message ?? "The strategy could not be loaded."}</AlertBanner>;
  const isSave = outcome?.intent === "save";
  const isTest = outcome?.intent === "test-alert";
  const isTarget = outcome?.intent?.startsWith("target-") ?? false;
  const pageError = outcome?.message && !isSave && !isTest && !isTarget ? outcome.message : null;

  return (
    <div className="stack">
      <p className="crumbs">
        <Link to="/strategies">Strategies</Link> / {strategy.name}
      </p>
      <div className="page-head">
        <h1>{strategy.name}</h1>
        <ModeBadge mode={strategy.mode} />
        <span className="mono muted">
          {strategy.symbol} · {showTimeframe(strategy.timeframe)}
        </span>
        <Link className="page-head-link" to={`/executions?strategyId=${strategy.id}`}>
          Executions of this strategy
        </Link>
      </div>
      <Toast message={toast} />
      {search.get("notice") === "cloned" ? (
        <AlertBanner tone="success">Cloned. The copy starts disabled: review it, then enable it.</AlertBanner>
      ) : null}
      {pageError ? <AlertBanner tone="error">{pageError}</AlertBanner> : null}
      <div className="detail-grid">
        <div className="stack">
          <StrategyControls
            name={strategy.name}
            enabled={strategy.enabled}
            disabledReason={strategy.disabledReason}
            busyIntent={busyIntent}
          />
          <TestAlertPanel
            mode={strategy.mode}
            targetAccounts={accountsOfTargets(targets?.targets ?? [], accounts)}
            result={isTest ? outcome.testAlert : null}
            error={isTest ? outcome.message : null}
            fieldErrors={isTest ? outcome.fieldErrors : {}}
            busy={busyIntent === "test-alert"}
          />
        </div>
        <DeploymentPanel
          preview={strategy.deployment ?? null}
          deployment={outcome?.deployment ?? null}
          busy={busyIntent === "deploy"}
        />
      </div>
      {/* A fan-out target follows its strategy: it has no targets of its own */}
      {targets && !targets.parentStrategyId ? (
        <StrategyTargetsPanel
          mode={strategy.mode}
          targets={targets.targets}
          accounts={accounts}
          error={isTarget ? (outcome?.message ?? null) : null}
          busyIntent={busyIntent}
        />
      ) : null}
      <section className="card">
        {/* A new key after a successful save resets the inputs to what the API stored. */}
        <StrategySettingsForm
          key={strategy.updatedAt}
          values={isSave && outcome.values ? outcome.values : settingsFromStrategy(strategy)}
          fieldErrors={isSave ? outcome.fieldErrors : undefined}
          message={isSave ? outcome.message : null}
          brokers={brokers}
          accounts={accounts}
          busy={busyIntent === "save"}
        />
      </section>
      <p className="muted small">
        Created {formatIst(strategy.createdAt)} · updated {formatIst(strategy.updatedAt)}
      </p>
    </div>
  );
}

// Each fan-out target's account in words (broker, label, masked client id), by the target's strategy id, so the test
// alert's answer per target names the account it would trade on
function accountsOfTargets(
  targets: { id: string; broker: string; brokerAccountId?: string | null }[],
  accounts: { id: string; broker: string; label?: string | null; clientIdMasked?: string | null }[],
): Record<string, string> {
  const named: Record<string, string> = {};
  for (const t of targets) {
    const a = accounts.find((x) => x.id === t.brokerAccountId);
    if (a) named[t.id] = `${a.broker}${a.label ? ` "${a.label}"` : ""} ${a.clientIdMasked ?? ""}`.trim();
  }
  return named;
}
