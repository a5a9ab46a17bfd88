import type { CountBar } from "../ui/CountBarChart";

export interface MinutePoint {
  t: string; // RFC 3339, the minute
  sent: number;
}

/** Minutes as bars labelled HH:MM (UTC). */
export const minuteBars = (points: MinutePoint[]): CountBar[] =>
  points.map((p) => ({ key: p.t, label: new Date(p.t).toISOString().slice(11, 16), count: p.sent }));
