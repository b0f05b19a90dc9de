import { Form, Link } from "@remix-run/react";
import { TRADING_MODES } from "../lib/execution-filter";
import { quickRanges, withRange, type ReportFilterValues } from "../lib/report-filter";
import { DayInput } from "./day-input";

type ReportFiltersProps = { values: ReportFilterValues; strategies: { id: string; name: string }[]; today: string };

// Quick ranges (links that keep the other filters) and a GET form: the filters become the URL, the loader reads
// them back. Days are IST calendar days, inclusive.
export function ReportFilters({ values, strategies, today }: ReportFiltersProps) {
  return (
    <div className="stack-tight">
      <nav className="button-row" aria-label="Quick ranges">
        {quickRanges(today).map((r) => {
          const current = values.from === r.from && values.to === r.to;
          return (
            <Link
              key={r.label}
              to={withRange(values, r.from, r.to)}
              className={current ? "button button-small button-current" : "button button-small"}
              aria-current={current ? "true" : undefined}
            >
              {r.label}
            </Link>
          );
        })}
      </nav>
      <Form method="get" className="filters" aria-label="Filter the report">
        <label className="filter">
          <span>From (IST)</span>
          <DayInput name="from" value={values.from} />
        </label>
        <label className="filter">
          <span>To (IST)</span>
          <DayInput name="to" value={values.to} />
        </label>
        <label className="filter">
          <span>Strategy</span>
          <select name="strategyId" defaultValue={values.strategyId}>
            <option value="">All strategies</option>
            {strategies.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span>Symbol</span>
          <input name="symbol" defaultValue={values.symbol} placeholder="Any" className="upper" />
        </label>
        <label className="filter">
          <span>Mode</span>
          <select name="mode" defaultValue={values.mode}>
            <option value="">Paper and live</option>
            {TRADING_MODES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <div className="filter-actions">
          <button type="submit" className="button button-primary">
            Apply
          </button>
          <Link to="/reports" className="button button-secondary">
            Clear
          </Link>
        </div>
      </Form>
    </div>
  );
}
