import { useEffect, useRef, useState } from "react";
import { axisPrice, axisTickLabels } from "../lib/axis-price";
import { dailySeries, dayLabel, equitySeries } from "../lib/chart-series";

type EquityProps = { points: Array<{ at: string; equity: string; drawdown: string }>; label: string };
type DailyProps = { days: Array<{ date: string; pnl: string }>; label: string };

type ChartsModule = typeof import("lightweight-charts");
type Build = (charts: ChartsModule, container: HTMLElement, colours: Colours) => () => void;
type Colours = { text: string; muted: string; border: string; primary: string; ok: string; danger: string };

// A colour with some transparency, for fills (the palette's colours are #rrggbb)
const faded = (colour: string, alpha: string) => (/^#[0-9a-f]{6}$/i.test(colour) ? `${colour}${alpha}` : colour);

// Read from the page's CSS variables, so the charts follow light and dark mode
function colours(): Colours {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    text: v("--text"),
    muted: v("--muted"),
    border: v("--border"),
    primary: v("--primary"),
    ok: v("--ok"),
    danger: v("--danger"),
  };
}

// The page is rendered on the server with an empty, labelled frame; after hydration the chart library is loaded
// (its own chunk, only on this page) and draws into it. `data-ready` tells tests the chart is drawn.
function useChart(build: Build, deps: unknown[]) {
  const frame = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");
  useEffect(() => {
    let dispose: (() => void) | undefined;
    let cancelled = false;
    import("lightweight-charts")
      .then((charts) => {
        if (cancelled || !frame.current) return;
        dispose = build(charts, frame.current, colours());
        setState("ready");
      })
      .catch(() => setState("failed"));
    return () => {
      cancelled = true;
      dispose?.();
    };
  }, deps);
  return { frame, state };
}

// The axis's tick labels formatted together (one format per axis: lib/axis-price.ts); the last few axes' labels are
// kept in data-price-ticks, for the e2e tests (the chart draws its text on a canvas)
function tickLabels(container: HTMLElement) {
  const recent: string[][] = [];
  return (prices: number[]) => {
    const labels = axisTickLabels(prices);
    recent.push(labels);
    if (recent.length > 4) recent.shift();
    container.dataset.priceTicks = JSON.stringify(recent);
    return labels;
  };
}

const baseOptions = (c: Colours, container: HTMLElement) => ({
  autoSize: true,
  localization: { priceFormatter: axisPrice, tickmarksPriceFormatter: tickLabels(container) },
  layout: {
    background: { color: "transparent" },
    textColor: c.muted,
    fontSize: 12,
    attributionLogo: false,
    panes: { separatorColor: c.border },
  },
  grid: { vertLines: { color: c.border }, horzLines: { color: c.border } },
  // room above the highest value, whose label was cut in half at the top edge
  rightPriceScale: { borderColor: c.border, scaleMargins: { top: 0.12, bottom: 0.08 } },
  timeScale: { borderColor: c.border },
  handleScroll: false,
  handleScale: false,
});

function ChartFrame({
  frame,
  state,
  label,
  testId,
  tall,
}: {
  frame: React.RefObject<HTMLDivElement>;
  state: string;
  label: string;
  testId: string;
  tall?: boolean;
}) {
  return (
    <div
      className={tall ? "chart chart-tall" : "chart"}
      ref={frame}
      role="img"
      aria-label={label}
      data-testid={testId}
      data-state={state}
    >
      {state === "loading" ? <span className="chart-note muted small">Drawing the chart…</span> : null}
      {state === "failed" ? (
        <span className="chart-note muted small">The chart could not be drawn; the figures above are complete.</span>
      ) : null}
    </div>
  );
}

// Cumulative net P&L after each closed trip, with its drawdown from the running peak in a pane underneath
export function EquityChart({ points, label }: EquityProps) {
  const { frame, state } = useChart(
    (charts, container, c) => {
      const { equity, drawdown } = equitySeries(points);
      const chart = charts.createChart(container, {
        ...baseOptions(c, container),
        // seconds: trips that close within a minute otherwise all read 03:30 (over days the labels are days anyway)
        timeScale: { borderColor: c.border, timeVisible: true, secondsVisible: true },
      });
      const line = chart.addSeries(
        charts.BaselineSeries,
        {
          baseValue: { type: "price", price: 0 },
          topLineColor: c.ok,
          bottomLineColor: c.danger,
          topFillColor1: "transparent",
          topFillColor2: "transparent",
          bottomFillColor1: "transparent",
          bottomFillColor2: "transparent",
          lineWidth: 2,
          // No last-value tag: on the price axis it covered the tick label next to it (the top one, as the curve
          // mostly ends near its high); the caption underneath says where the curve ends instead
          priceLineVisible: false,
          lastValueVisible: false,
        },
        0,
      );
      line.setData(equity.map((p) => ({ time: p.time as import("lightweight-charts").UTCTimestamp, value: p.value })));
      // Filled from 0 down to the curve: how deep below the peak
      const fall = chart.addSeries(
        charts.BaselineSeries,
        {
          baseValue: { type: "price", price: 0 },
          topLineColor: c.danger,
          topFillColor1: "transparent",
          topFillColor2: "transparent",
          bottomLineColor: c.danger,
          bottomFillColor1: faded(c.danger, "33"),
          bottomFillColor2: faded(c.danger, "99"),
          lineWidth: 1,
          priceLineVisible: false,
          lastValueVisible: false,
        },
        1,
      );
      fall.setData(
        drawdown.map((p) => ({ time: p.time as import("lightweight-charts").UTCTimestamp, value: p.value })),
      );
      chart.panes()[1]?.setStretchFactor(0.45);
      chart.timeScale().fitContent();
      return () => chart.remove();
    },
    [points],
  );
  return <ChartFrame frame={frame} state={state} label={label} testId="equity-chart" tall />;
}

// Net P&L per IST trading day, gains up in green, losses down in red
export function DailyPnlChart({ days, label }: DailyProps) {
  const { frame, state } = useChart(
    (charts, container, c) => {
      const chart = charts.createChart(container, {
        ...baseOptions(c, container),
        timeScale: { borderColor: c.border, maxBarSpacing: 48, tickMarkFormatter: dayLabel },
        localization: {
          priceFormatter: axisPrice,
          tickmarksPriceFormatter: tickLabels(container),
          timeFormatter: (time: unknown) => dayLabel(time) ?? "",
        },
      });
      const bars = chart.addSeries(charts.HistogramSeries, { priceLineVisible: false, lastValueVisible: false });
      bars.setData(
        dailySeries(days).map((d) => ({ time: d.time, value: d.value, color: d.value < 0 ? c.danger : c.ok })),
      );
      chart.timeScale().fitContent();
      return () => chart.remove();
    },
    [days],
  );
  return <ChartFrame frame={frame} state={state} label={label} testId="daily-chart" />;
}
