import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { gridProps, tooltipContentStyle, xAxisProps, yAxisProps } from "./chartStyle";

export interface CountBar {
  /** The bar's full name, a row header in the screen-reader table (a day, a minute). */
  key: string;
  /** The short name under the bar. */
  label: string;
  count: number;
}

/**
 * Counts as bars ("new leads" per day, "sent" per minute), with the same numbers as a table for
 * screen readers. `what` names one bar's count in the tooltip; `tooltipLabel` names its bar.
 */
export function CountBarChart({
  bars,
  what,
  caption,
  tooltipLabel = (label) => label,
  color = "#6366f1",
  height = "h-56",
}: {
  bars: CountBar[];
  what: string;
  caption: string;
  tooltipLabel?: (label: string) => string;
  color?: string;
  height?: string;
}) {
  return (
    <figure>
      <div className={`${height} w-full text-slate-700 dark:text-slate-300`}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid {...gridProps} />
            <XAxis {...xAxisProps} />
            <YAxis {...yAxisProps} />
            <Tooltip
              cursor={{ fillOpacity: 0.1 }}
              contentStyle={tooltipContentStyle}
              itemStyle={{ color: "#0f172a" }}
              formatter={(v) => [Number(v).toLocaleString("en"), what]}
              labelFormatter={(l) => tooltipLabel(String(l))}
            />
            <Bar dataKey="count" fill={color} radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">
        <table>
          <caption>{caption}</caption>
          <tbody>
            {bars.map((b) => (
              <tr key={b.key}>
                <th scope="row">{b.key}</th>
                <td>{b.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
