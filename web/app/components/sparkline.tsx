type SparklineProps = { points: { at: string; count: number }[]; label: string };

const W = 240;
const H = 48;

// A small inline SVG of alerts per minute; the numbers are in the accessible label and the text beside it.
export function Sparkline({ points, label }: SparklineProps) {
  const max = Math.max(1, ...points.map((p) => p.count));
  const step = points.length > 1 ? W / (points.length - 1) : W;
  const xy = points.map((p, i) => `${(i * step).toFixed(1)},${(H - 2 - (p.count / max) * (H - 6)).toFixed(1)}`);
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
      data-testid="alerts-sparkline"
    >
      <polyline points={`0,${H} ${xy.join(" ")} ${W},${H}`} fill="currentColor" opacity="0.12" stroke="none" />
      <polyline
        points={xy.join(" ")}
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        vectorEffect="non-scaling-stroke"
        strokeLinejoin="round"
      />
    </svg>
  );
}
