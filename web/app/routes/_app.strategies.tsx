import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { AlertBanner } from "../components/alert-banner";
import { StrategyForm } from "../components/strategy-form";
import { StrategyTable } from "../components/strategy-table";
import { Toast } from "../components/toast";
import { CreateStrategyDocument, StrategiesPageDocument, StrategyOwnersDocument } from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";
import { checkStrategyForm, readStrategyForm } from "../lib/strategy-form.validate";

const FORM_FIELDS = new Set(["name", "symbol", "timeframe", "qty", "mode", "exchangeSegment", "brokerAccountId"]);

export const meta: MetaFunction = () => [{ title: "Strategies · AlgoDatta" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const page = await api.execute("query", StrategiesPageDocument, {});
  // Admins see everyone's strategies: name the owners
  const owners = page.data?.me.role === "ADMIN" ? await api.execute("query", StrategyOwnersDocument, {}) : null;
  return data(
    {
      strategies: page.data?.strategies ?? [],
      activity: page.data?.strategyActivity ?? [],
      accounts: page.data?.brokerAccounts ?? [],
      owners: owners?.data ? Object.fromEntries(owners.data.users.map((u) => [u.id, u.email])) : null,
      failure: page.failure ?? null,
    },
    { headers: await api.headers() },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const api = await requireAuthedApi(request);
  const values = readStrategyForm(await request.formData());
  const checked = checkStrategyForm(values);
  if (!checked.ok) {
    return data(
      { values, fieldErrors: checked.fieldErrors, message: null, created: null },
      { status: 400, headers: await api.headers() },
    );
  }
  // A chosen account goes with its broker: the API puts the strategy at the account's broker (or refuses the account)
  const result = await api.execute("mutation", CreateStrategyDocument, { input: checked.input });
  if (result.failure) {
    const { fieldErrors, message } = result.failure;
    // Errors on fields the form shows appear under those fields; only the rest needs the banner.
    const onForm = Object.keys(fieldErrors).filter((field) => FORM_FIELDS.has(field));
    const banner = onForm.length > 0 && onForm.length === Object.keys(fieldErrors).length ? null : message;
    return data({ values, fieldErrors, message: banner, created: null }, { status: 400, headers: await api.headers() });
  }
  const created = result.data.createStrategy;
  return data(
    { values: null, fieldErrors: {}, message: null, created: { id: created.id, name: created.name } },
    { headers: await api.headers() },
  );
}

export default function StrategiesRoute() {
  const { strategies, activity, accounts, owners, failure } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const byId = useMemo(() => Object.fromEntries(activity.map((a) => [a.strategyId, a])), [activity]);
  const showOwners = owners;
  const toast = useMemo(
    () => (outcome?.created ? { tone: "success" as const, text: `Strategy “${outcome.created.name}” created.` } : null),
    [outcome],
  );
  return (
    <div className="stack">
      <div className="page-head">
        <h1>Strategies</h1>
        <a className="page-head-link button button-secondary" href="#new-strategy">
          New strategy
        </a>
      </div>
      {failure ? <AlertBanner tone="error">{failure.message}</AlertBanner> : null}
      <Toast message={toast} />
      <section className="card" aria-label={showOwners ? "All strategies" : "Your strategies"}>
        <StrategyTable strategies={strategies} activity={byId} owners={showOwners} />
      </section>
      <section className="card" id="new-strategy">
        {/* A new key after each success resets the form to its defaults. */}
        <StrategyForm
          key={outcome?.created?.id ?? "new"}
          values={outcome?.values ?? undefined}
          fieldErrors={outcome?.fieldErrors}
          message={outcome?.message}
          accounts={accounts}
        />
      </section>
    </div>
  );
}
