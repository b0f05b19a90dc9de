import type { ReportFiguresQuery } from "../graphql/generated/graphql";
import { pnlClass } from "../lib/decimal-display";
import { formatInr } from "../lib/money-format";
import { formatPercent, formatRatio } from "../lib/report-filter";

type Report = ReportFiguresQuery["report"];

function Kpi({
  id,
  title,
  value,
  tone,
  children,
}: {
  id: string;
  title: string;
  value: string;
  tone?: string;
  children?: React.ReactNode;
}) {
  return (
    <section className="card kpi" aria-labelledby={`kpi-${id}-title`} data-testid={`kpi-${id}`}>
      <h2 id={`kpi-${id}-title`}>{title}</h2>
      <span className={`kpi-value ${tone ?? ""}`} data-testid={`kpi-${id}-value`}>
        {value}
      </span>
      {children}
    </section>
  );
}

function Row({ label, value, tone, testId }: { label: string; value: string; tone?: string; testId?: string }) {
  return (
    <div className="kpi-row">
      <span>{label}</span>
      <span className={`mono ${tone ?? ""}`} data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

// The report's figures as cards: money from the API's exact strings, ratios as the API rounded them
export function ReportKpis({ report: r }: { report: Report }) {
  return (
    <div className="kpis kpis-report" data-testid="report-kpis">
      <Kpi id="net" title="Net P&L" value={formatInr(r.totalPnl, { signed: true })} tone={pnlClass(r.totalPnl)}>
        <Row label="Gross (before charges)" value={formatInr(r.grossPnl, { signed: true })} testId="kpi-gross" />
        <Row label="Charges" value={formatInr(r.charges)} testId="kpi-charges" />
      </Kpi>
      <Kpi id="win-rate" title="Win rate" value={formatPercent(r.winRate)}>
        <Row label="Won / lost" value={`${r.wins} / ${r.losses}`} testId="kpi-wins-losses" />
        <Row label="Average win" value={formatInr(r.avgWin, { signed: true })} tone={pnlClass(r.avgWin)} />
        <Row label="Average loss" value={formatInr(r.avgLoss, { signed: true })} tone={pnlClass(r.avgLoss)} />
      </Kpi>
      <Kpi id="trades" title="Round trips" value={String(r.totalTrades)}>
        <Row
          label="Average net per trip"
          value={formatInr(r.avgPnl, { signed: true })}
          tone={pnlClass(r.avgPnl)}
          testId="kpi-avg"
        />
        <Row
          label="Largest win"
          value={formatInr(r.largestWin, { signed: true })}
          tone={pnlClass(r.largestWin)}
          testId="kpi-largest-win"
        />
        <Row
          label="Largest loss"
          value={formatInr(r.largestLoss, { signed: true })}
          tone={pnlClass(r.largestLoss)}
          testId="kpi-largest-loss"
        />
      </Kpi>
      <Kpi id="profit-factor" title="Profit factor" value={formatRatio(r.profitFactor)}>
        <span className="muted small">
          {r.profitFactor === null ? "Needs both winning and losing trips." : "Sum of wins over the sum of losses."}
        </span>
        <Row
          label="Expectancy per trip"
          value={formatInr(r.expectancy, { signed: true })}
          tone={pnlClass(r.expectancy)}
        />
      </Kpi>
      <Kpi id="sharpe" title="Sharpe ratio" value={formatRatio(r.sharpe)}>
        <span className="muted small">
          {r.sharpe === null
            ? "Needs two trading days with different P&L."
            : "Daily net P&L, annualised over 252 days (no capital base)."}
        </span>
      </Kpi>
      <Kpi
        id="drawdown"
        title="Max drawdown"
        value={formatInr(r.maxDrawdown)}
        tone={/[1-9]/.test(r.maxDrawdown) ? "pnl-loss" : ""}
      >
        <span className="muted small">The largest fall of net P&L from its highest point.</span>
        <Row
          label="Longest losing streak"
          value={`${r.longestLosingStreak} ${r.longestLosingStreak === 1 ? "trip" : "trips"}`}
          testId="kpi-streak"
        />
      </Kpi>
    </div>
  );
}
