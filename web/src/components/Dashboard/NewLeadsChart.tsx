import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface DayCount {
  day: string; // YYYY-MM-DD (UTC)
  count: number;
}

/** Counts per UTC day as bars; `what` names one day's count ("new leads", "messages sent"). */
export function NewLeadsChart({
  data,
  what = "new leads",
  caption = "New leads per day (UTC)",
  color = "#6366f1",
}: {
  data: DayCount[];
  what?: string;
  caption?: string;
  color?: string;
}) {
  const rows = data.map((d) => ({ ...d, label: d.day.slice(5) }));
  return (
    <figure>
      <div className="h-56 w-full text-slate-700 dark:text-slate-300">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid
              strokeDasharray="3 3"
              stroke="currentColor"
              strokeOpacity={0.15}
              vertical={false}
            />
            <XAxis dataKey="label" tick={{ fill: "currentColor", fontSize: 12 }} stroke="currentColor" />
            <YAxis
              allowDecimals={false}
              tick={{ fill: "currentColor", fontSize: 12 }}
              stroke="currentColor"
              width={56}
            />
            <Tooltip
              cursor={{ fillOpacity: 0.1 }}
              contentStyle={{ borderRadius: 6, fontSize: 13, color: "#0f172a" }}
              itemStyle={{ color: "#0f172a" }}
              formatter={(v) => [Number(v).toLocaleString("en"), what]}
              labelFormatter={(l) => `Day ${l}`}
            />
            <Bar dataKey="count" fill={color} radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      {/* The same numbers as a table for screen readers. */}
      <figcaption className="sr-only">
        <table>
          <caption>{caption}</caption>
          <tbody>
            {data.map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                <td>{d.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
