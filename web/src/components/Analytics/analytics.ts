// The Analytics page's logic, without React: periods, changes against the
// previous period, and the shape the charts take.

export type PeriodKey = "7d" | "30d" | "90d" | "365d";

export const PERIODS: { key: PeriodKey; label: string; days: number }[] = [
  { key: "7d", label: "Last 7 days", days: 7 },
  { key: "30d", label: "Last 30 days", days: 30 },
  { key: "90d", label: "Last 90 days", days: 90 },
  { key: "365d", label: "Last 12 months", days: 365 },
];

/** [from, to) of a period ending at the next UTC hour after `now` (the roll-ups are hourly). */
export function periodRange(key: PeriodKey, now: Date = new Date()): { from: string; to: string } {
  const days = PERIODS.find((p) => p.key === key)?.days ?? 30;
  const end = new Date(now.getTime());
  end.setUTCMinutes(0, 0, 0);
  end.setUTCHours(end.getUTCHours() + 1);
  const start = new Date(end.getTime() - days * 86_400_000);
  return { from: start.toISOString(), to: end.toISOString() };
}

/** Hourly points for a period of at most 2 days, daily otherwise. */
export function intervalFor(key: PeriodKey): "hour" | "day" {
  return (PERIODS.find((p) => p.key === key)?.days ?? 30) <= 2 ? "hour" : "day";
}

export interface Change {
  /** Relative change, e.g. 0.25 for +25%; null when the previous value was 0. */
  relative: number | null;
  direction: "up" | "down" | "flat";
  text: string;
}

/** How `current` compares with `previous`. Rates are compared in percentage points. */
export function changeOf(current: number, previous: number, kind: "count" | "rate" = "count"): Change {
  const diff = current - previous;
  const direction = diff > 0 ? "up" : diff < 0 ? "down" : "flat";
  if (kind === "rate") {
    const pts = diff * 100;
    const text = direction === "flat" ? "no change" : `${pts > 0 ? "+" : "−"}${Math.abs(pts).toFixed(1)} pts`;
    return { relative: previous === 0 ? null : diff / previous, direction, text };
  }
  if (previous === 0) {
    return { relative: null, direction, text: current === 0 ? "no change" : "new" };
  }
  const rel = diff / previous;
  const pct = Math.abs(rel * 100);
  const text =
    direction === "flat"
      ? "no change"
      : `${rel > 0 ? "+" : "−"}${pct < 10 ? pct.toFixed(1) : pct.toFixed(0)}%`;
  return { relative: rel, direction, text };
}

export interface SeriesPoint {
  t: string;
  value: number;
}

/** Several series of one interval as chart rows: {label, t, sent, opened, …}. */
export function mergeSeries(
  series: Record<string, SeriesPoint[]>,
  interval: "hour" | "day",
): Record<string, string | number>[] {
  const rows = new Map<string, Record<string, string | number>>();
  for (const [metric, points] of Object.entries(series)) {
    for (const p of points) {
      let row = rows.get(p.t);
      if (!row) {
        row = { t: p.t, label: labelOf(p.t, interval) };
        rows.set(p.t, row);
      }
      row[metric] = p.value;
    }
  }
  return [...rows.values()].sort((a, b) => String(a.t).localeCompare(String(b.t)));
}

/** "2026-03-08" for a day, "03-08 14:00" for an hour — the local wall clock the server wrote. */
export function labelOf(t: string, interval: "hour" | "day"): string {
  return interval === "day" ? t.slice(0, 10) : `${t.slice(5, 10)} ${t.slice(11, 16)}`;
}

/** The browser's IANA time zone, or UTC. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** Funnel stages with each one's share of sent. */
export function funnelStages(f: {
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  replied: number;
}): { stage: string; count: number; share: number }[] {
  const share = (n: number) => (f.sent > 0 ? n / f.sent : 0);
  return [
    { stage: "Sent", count: f.sent, share: f.sent > 0 ? 1 : 0 },
    { stage: "Delivered", count: f.delivered, share: share(f.delivered) },
    { stage: "Opened", count: f.opened, share: share(f.opened) },
    { stage: "Clicked", count: f.clicked, share: share(f.clicked) },
    { stage: "Replied", count: f.replied, share: share(f.replied) },
  ];
}
