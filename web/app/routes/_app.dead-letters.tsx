import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { AlertBanner } from "../components/alert-banner";
import { ConfirmAction } from "../components/confirm-action";
import { Toast } from "../components/toast";
import { DeadLettersDocument, ReplayDeadLetterDocument } from "../graphql/generated/graphql";
import { requireAuthedApi } from "../lib/authed-api.server";
import { formatIst } from "../lib/ist-time";
import { useSettledActionData } from "../lib/use-settled-action-data";

export const meta: MetaFunction = () => [{ title: "Dead letters · AlgoDatta" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const api = await requireAuthedApi(request);
  const result = await api.execute("query", DeadLettersDocument, {});
  return data(
    { deadLetters: result.data?.deadLetters ?? [], failure: result.failure ?? null },
    { headers: await api.headers() },
  );
}

// Replay sends the execution through the pipeline again; the API looks the order up at the broker first,
// so an order that did reach the broker is not placed twice.
export async function action({ request }: ActionFunctionArgs) {
  const api = await requireAuthedApi(request);
  const id = String((await request.formData()).get("id") ?? "");
  const result = await api.execute("mutation", ReplayDeadLetterDocument, { id });
  const outcome = result.failure
    ? { ok: false as const, message: result.failure.message }
    : {
        ok: true as const,
        message: `Replayed: execution is now ${result.data.replayDeadLetter.status}.`,
        executionId: result.data.replayDeadLetter.id,
      };
  return data(outcome, { status: result.failure ? 400 : 200, headers: await api.headers() });
}

export default function DeadLettersRoute() {
  const { deadLetters, failure } = useLoaderData<typeof loader>();
  const outcome = useSettledActionData<typeof action>();
  const navigation = useNavigation();
  const replaying = navigation.state === "submitting" ? navigation.formData?.get("id") : null;
  const toast = useMemo(
    () =>
      outcome?.ok
        ? {
            tone: "success" as const,
            text: outcome.message,
            link: { to: `/executions/${outcome.executionId}`, label: "Open it" },
          }
        : null,
    [outcome],
  );
  return (
    <div className="stack">
      <h1>Dead letters</h1>
      <p className="muted">
        Orders that failed after every retry. Fix the cause (broker connection, token, limits), then replay.
      </p>
      {failure ? <AlertBanner tone="error">{failure.message}</AlertBanner> : null}
      {outcome && !outcome.ok ? <AlertBanner tone="error">{outcome.message}</AlertBanner> : null}
      <Toast message={toast} />
      <section className="card" aria-label="Dead letters">
        {deadLetters.length === 0 ? (
          <div className="empty-state">
            <p>No dead letters. Every accepted alert became an execution.</p>
            <p className="muted">
              An order lands here when it still fails after every retry (broker down, token expired); fix the cause,
              then replay it.
            </p>
          </div>
        ) : (
          <div className="table-wrap">
            <table className="table table-cards" data-testid="dead-letter-table">
              <thead>
                <tr>
                  <th scope="col">Failed (IST)</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Last error</th>
                  <th scope="col" className="num">
                    Attempts
                  </th>
                  <th scope="col">Execution</th>
                  <th scope="col">Replay</th>
                </tr>
              </thead>
              <tbody>
                {deadLetters.map((d) => (
                  <tr key={d.id}>
                    <td data-label="Failed (IST)" className="card-title">
                      {formatIst(d.createdAt)}
                    </td>
                    <td data-label="Reason" className="mono card-key">
                      {d.reason}
                    </td>
                    <td data-label="Last error" className="wrap card-wide">
                      {d.lastError ?? "—"}
                    </td>
                    <td data-label="Attempts" className="num">
                      {d.attempts}
                    </td>
                    <td data-label="Execution">
                      <Link to={`/executions/${d.executionId}`}>Open</Link>
                    </td>
                    <td data-label="" className="card-wide">
                      {d.replayedAt ? (
                        <span className="muted">Replayed {formatIst(d.replayedAt)}</span>
                      ) : (
                        <ConfirmAction
                          label="Replay"
                          confirmLabel="Yes, replay"
                          intent="replay"
                          fields={{ id: d.id }}
                          busy={replaying === d.id}
                        >
                          Sends this order through the pipeline again. The broker is asked first, so an order it already
                          has is not placed twice.
                        </ConfirmAction>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
