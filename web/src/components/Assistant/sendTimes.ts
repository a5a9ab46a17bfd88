/** The send-time advice (GET /api/ai/send-times) as a 7×24 heat map: pure, tested. */

export interface SendTimes {
  level: "lead" | "segment" | "global";
  events: number;
  best: { day: number; hour: number };
  tz: string;
  histogram: number[][];
  min_events: number;
}

export const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

const pad = (n: number) => String(n).padStart(2, "0");

/** "10:00–11:00" for hour 10 (hour 23 ends at 24:00). */
export function hourRange(hour: number): string {
  return `${pad(hour)}:00–${pad(hour + 1)}:00`;
}

/** The largest count in the histogram (0 when empty). */
export function maxCount(histogram: number[][]): number {
  return histogram.reduce((m, row) => row.reduce((n, c) => Math.max(n, c), m), 0);
}

/** 0–1 colour intensity of a count against the largest one. */
export function intensity(count: number, max: number): number {
  return max > 0 ? Math.min(1, Math.max(0, count / max)) : 0;
}

export interface HeatCell {
  day: number;
  hour: number;
  count: number;
  intensity: number;
  best: boolean;
  /** The cell's accessible name: "Tuesday 10:00–11:00: 3 opens and replies, best hour". */
  label: string;
}

const plural = (n: number) => `${n.toLocaleString("en")} ${n === 1 ? "open or reply" : "opens and replies"}`;

/** Seven rows (Monday first) of 24 cells, the best slot marked. */
export function heatCells(advice: SendTimes): HeatCell[][] {
  const max = maxCount(advice.histogram);
  return DAYS.map((name, day) =>
    Array.from({ length: 24 }, (_, hour) => {
      const count = advice.histogram[day]?.[hour] ?? 0;
      const best = advice.best.day === day && advice.best.hour === hour;
      return {
        day,
        hour,
        count,
        intensity: intensity(count, max),
        best,
        label: `${name} ${hourRange(hour)}: ${plural(count)}${best ? ", best hour" : ""}`,
      };
    }),
  );
}

/** Whose history the advice comes from. */
export function levelWords(level: SendTimes["level"]): string {
  return level === "lead" ? "this lead's own" : level === "segment" ? "the segment's" : "everyone's";
}

/**
 * The advice in words: "Tuesday 10:00–11:00, from this lead's own 12 opens and replies";
 * with no history at all, the default.
 */
export function describeBest(advice: SendTimes): string {
  const when = `${DAYS[advice.best.day] ?? "?"} ${hourRange(advice.best.hour)}`;
  if (advice.events === 0) return `${when}, the default: there are no opens or replies yet`;
  return `${when}, from ${levelWords(advice.level)} ${plural(advice.events)}`;
}
