import { Form, Link } from "@remix-run/react";
import { EXECUTION_STATUSES, TRADING_MODES, type FilterValues } from "../lib/execution-filter";
import { DayInput } from "./day-input";

type ExecutionFiltersProps = { values: FilterValues; strategies: { id: string; name: string }[] };

// A GET form: the filters become the URL, the loader reads them back.
export function ExecutionFilters({ values, strategies }: ExecutionFiltersProps) {
  return (
    <Form method="get" className="filters" aria-label="Filter executions">
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
        <span>Status</span>
        <select name="status" defaultValue={values.status}>
          <option value="">Any status</option>
          {EXECUTION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.replace("_", " ")}
            </option>
          ))}
        </select>
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
      <label className="filter">
        <span>From (IST)</span>
        <DayInput name="from" value={values.from} />
      </label>
      <label className="filter">
        <span>To (IST)</span>
        <DayInput name="to" value={values.to} />
      </label>
      <div className="filter-actions">
        <button type="submit" className="button button-primary">
          Apply
        </button>
        <Link to="/executions" className="button button-secondary">
          Clear
        </Link>
      </div>
    </Form>
  );
}
