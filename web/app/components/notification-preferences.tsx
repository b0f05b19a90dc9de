import { Form } from "@remix-run/react";
import { CHOOSABLE_EVENTS } from "../lib/notification-events";

type Scope = { strategyId: string | null; events: string[] };
type PreferencesProps = { preferences: Scope[]; strategies: { id: string; name: string }[]; busy: boolean };

function EventChecklist({ scope, events, legend }: { scope: string; events: string[]; legend: string }) {
  return (
    <fieldset className="event-grid" aria-label={legend}>
      {CHOOSABLE_EVENTS.map((e) => (
        <label key={e.event} className="check">
          <input
            type="checkbox"
            name="events"
            value={e.event}
            defaultChecked={events.includes(e.event)}
            data-scope={scope || "default"}
          />
          <span>
            {e.label}
            <small>{e.hint}</small>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

// Which events are sent: the default list for all your strategies, and a strategy's own list, which replaces it
export function NotificationPreferences({ preferences, strategies, busy }: PreferencesProps) {
  const fallback = preferences.find((p) => p.strategyId === null) ?? { strategyId: null, events: [] };
  const overrides = preferences.filter((p) => p.strategyId !== null);
  const names = Object.fromEntries(strategies.map((s) => [s.id, s.name]));
  const without = strategies.filter((s) => !overrides.some((o) => o.strategyId === s.id));
  return (
    <div className="stack">
      <Form method="post" className="stack" data-testid="prefs-default">
        <input type="hidden" name="scope" value="" />
        <h3>All strategies (default)</h3>
        <EventChecklist scope="" events={fallback.events} legend="Events sent for all strategies" />
        <div>
          <button type="submit" name="intent" value="prefs" className="button button-primary" disabled={busy}>
            Save the default
          </button>
        </div>
      </Form>
      {overrides.map((o) => (
        <Form method="post" className="stack form-group" key={o.strategyId} data-testid={`prefs-${o.strategyId}`}>
          <input type="hidden" name="scope" value={o.strategyId ?? ""} />
          <h3>{names[o.strategyId ?? ""] ?? "A deleted strategy"}: its own list</h3>
          <EventChecklist
            scope={o.strategyId ?? ""}
            events={o.events}
            legend={`Events sent for ${names[o.strategyId ?? ""] ?? "this strategy"}`}
          />
          <div className="button-row">
            <button type="submit" name="intent" value="prefs" className="button button-secondary" disabled={busy}>
              Save for this strategy
            </button>
            <button type="submit" name="intent" value="prefs-remove" className="button button-small" disabled={busy}>
              Use the default again
            </button>
          </div>
        </Form>
      ))}
      {without.length > 0 ? (
        <Form method="post" className="inline-fields" aria-label="A list for one strategy">
          {fallback.events.map((e) => (
            <input key={e} type="hidden" name="events" value={e} />
          ))}
          <label className="field">
            <span>A different list for one strategy</span>
            <select name="scope" defaultValue={without[0].id}>
              {without.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" name="intent" value="prefs" className="button button-secondary" disabled={busy}>
            Start from the default
          </button>
        </Form>
      ) : null}
    </div>
  );
}
