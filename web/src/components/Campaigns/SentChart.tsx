import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface MinutePoint {
  t: string; // RFC 3339, the minute
  sent: number;
}

/** Messages sent per minute, with the same numbers as a table for screen readers. */
export function SentChart({ points }: { points: MinutePoint[] }) {
  const rows = points.map((p) => ({ ...p, label: new Date(p.t).toISOString().slice(11, 16) }));
  return (
    <figure>
      <div className="h-48 w-full text-slate-700 dark:text-slate-300">
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
              formatter={(v) => [Number(v).toLocaleString("en"), "sent"]}
              labelFormatter={(l) => `${l} UTC`}
            />
            <Bar dataKey="sent" fill="#6366f1" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">
        <table>
          <caption>Messages sent per minute (UTC)</caption>
          <tbody>
            {points.map((p) => (
              <tr key={p.t}>
                <th scope="row">{p.t}</th>
                <td>{p.sent}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
