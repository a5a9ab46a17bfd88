import type { CountBar } from "../ui/CountBarChart";

export interface DayCount {
  day: string; // YYYY-MM-DD (UTC)
  count: number;
}

/** Days as bars labelled MM-DD. */
export const dayBars = (days: DayCount[]): CountBar[] =>
  days.map((d) => ({ key: d.day, label: d.day.slice(5), count: d.count }));
