import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { TrafficMinute } from "../../api/models";

/** "14:05" in the viewer's time zone. */
function minuteLabel(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

const axis = { tick: { fill: "currentColor", fontSize: 12 }, stroke: "currentColor" } as const;
const tooltipStyle = { borderRadius: 6, fontSize: 13, color: "#0f172a" };

/** API calls and errors per minute, and the average response time per minute. */
export function TrafficCharts({ data }: { data: TrafficMinute[] }) {
  const rows = data.map((m) => ({ ...m, ok: m.calls - m.errors, label: minuteLabel(m.t) }));
  return (
    <div className="grid gap-6 lg:grid-cols-2" data-testid="traffic-charts">
      <figure>
        <h3 className="mb-2 text-sm font-semibold">Requests per minute</h3>
        <div className="h-52 w-full text-slate-700 dark:text-slate-300">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid
                strokeDasharray="3 3"
                stroke="currentColor"
                strokeOpacity={0.15}
                vertical={false}
              />
              <XAxis dataKey="label" {...axis} minTickGap={24} />
              <YAxis allowDecimals={false} {...axis} width={48} />
              <Tooltip cursor={{ fillOpacity: 0.1 }} contentStyle={tooltipStyle} />
              <Bar dataKey="ok" name="answered" stackId="calls" fill="#6366f1" isAnimationActive={false} />
              <Bar
                dataKey="errors"
                name="5xx errors"
                stackId="calls"
                fill="#dc2626"
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <figcaption className="sr-only">
          <table>
            <caption>API calls and 5xx errors per minute</caption>
            <tbody>
              {data.map((m) => (
                <tr key={m.t}>
                  <th scope="row">{m.t}</th>
                  <td>{m.calls} calls</td>
                  <td>{m.errors} errors</td>
                </tr>
              ))}
            </tbody>
          </table>
        </figcaption>
      </figure>
      <figure>
        <h3 className="mb-2 text-sm font-semibold">Average response time (ms)</h3>
        <div className="h-52 w-full text-slate-700 dark:text-slate-300">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid
                strokeDasharray="3 3"
                stroke="currentColor"
                strokeOpacity={0.15}
                vertical={false}
              />
              <XAxis dataKey="label" {...axis} minTickGap={24} />
              <YAxis {...axis} width={48} />
              <Tooltip
                contentStyle={tooltipStyle}
                formatter={(v) => [`${Number(v).toFixed(2)} ms`, "average"]}
              />
              <Line
                type="monotone"
                dataKey="avg_response_ms"
                stroke="#0891b2"
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
        <figcaption className="sr-only">
          <table>
            <caption>Average response time per minute, in milliseconds</caption>
            <tbody>
              {data.map((m) => (
                <tr key={m.t}>
                  <th scope="row">{m.t}</th>
                  <td>{m.avg_response_ms}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </figcaption>
      </figure>
    </div>
  );
}
