import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { gridProps, tooltipContentStyle, xAxisProps, yAxisProps } from "../ui/chartStyle";

const COLORS: Record<string, string> = { sent: "#6366f1", opened: "#0891b2", clicked: "#d97706" };

/** Sent, opened and clicked per bucket, with the same numbers as a table for screen readers. */
export function SeriesChart({
  rows,
  metrics,
  caption,
}: {
  rows: Record<string, string | number>[];
  metrics: string[];
  caption: string;
}) {
  return (
    <figure>
      <div className="h-64 w-full text-slate-700 dark:text-slate-300">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid {...gridProps} />
            <XAxis {...xAxisProps} />
            <YAxis {...yAxisProps} />
            <Tooltip
              contentStyle={tooltipContentStyle}
              formatter={(v, name) => [Number(v).toLocaleString("en"), String(name)]}
            />
            <Legend />
            {metrics.map((m) => (
              <Line
                key={m}
                type="monotone"
                dataKey={m}
                stroke={COLORS[m] ?? "#64748b"}
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              {metrics.map((m) => (
                <th key={m} scope="col">
                  {m}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={String(r.t)}>
                <th scope="row">{String(r.t)}</th>
                {metrics.map((m) => (
                  <td key={m}>{r[m] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
