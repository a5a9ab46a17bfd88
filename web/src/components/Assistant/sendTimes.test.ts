import { describe, expect, it } from "vitest";
import { describeBest, heatCells, hourRange, intensity, maxCount, type SendTimes } from "./sendTimes";

const empty = () => Array.from({ length: 7 }, () => Array<number>(24).fill(0));

function advice(over: Partial<SendTimes> = {}): SendTimes {
  const histogram = empty();
  histogram[1][10] = 12;
  histogram[4][15] = 3;
  return {
    level: "lead",
    events: 15,
    best: { day: 1, hour: 10 },
    tz: "UTC",
    histogram,
    min_events: 5,
    ...over,
  };
}

describe("send-time heat map", () => {
  it("finds the largest count and scales intensity against it", () => {
    expect(maxCount(advice().histogram)).toBe(12);
    expect(maxCount(empty())).toBe(0);
    expect(intensity(3, 12)).toBe(0.25);
    expect(intensity(12, 12)).toBe(1);
    expect(intensity(0, 0)).toBe(0);
  });

  it("lays out Monday–Sunday by 0–23 with only the best hour highlighted", () => {
    const cells = heatCells(advice());
    expect(cells).toHaveLength(7);
    expect(cells.every((row) => row.length === 24)).toBe(true);
    const best = cells.flat().filter((c) => c.best);
    expect(best).toHaveLength(1);
    expect(best[0]).toMatchObject({ day: 1, hour: 10, count: 12, intensity: 1 });
    expect(cells[4][15].intensity).toBe(0.25);
    expect(cells[0][0].intensity).toBe(0);
  });

  it("labels every cell for screen readers", () => {
    const cells = heatCells(advice());
    expect(cells[1][10].label).toBe("Tuesday 10:00–11:00: 12 opens and replies, best hour");
    expect(cells[6][23].label).toBe("Sunday 23:00–24:00: 0 opens and replies");
    const one = empty();
    one[0][0] = 1;
    expect(heatCells(advice({ histogram: one }))[0][0].label).toBe("Monday 00:00–01:00: 1 open or reply");
    expect(hourRange(9)).toBe("09:00–10:00");
  });

  it("states the best hour and whose history it comes from", () => {
    expect(describeBest(advice({ events: 12 }))).toBe(
      "Tuesday 10:00–11:00, from this lead's own 12 opens and replies",
    );
    expect(describeBest(advice({ level: "global", events: 40 }))).toBe(
      "Tuesday 10:00–11:00, from everyone's 40 opens and replies",
    );
    expect(describeBest(advice({ level: "segment", best: { day: 3, hour: 14 }, events: 7 }))).toBe(
      "Thursday 14:00–15:00, from the segment's 7 opens and replies",
    );
    expect(describeBest(advice({ level: "global", events: 0 }))).toMatch(/^Tuesday 10:00–11:00, the default/);
  });
});
