import { describe, expect, it } from "vitest";
import { changeOf, funnelStages, intervalFor, labelOf, mergeSeries, periodRange } from "./analytics";

describe("analytics page logic", () => {
  it("ends a period at the next UTC hour and spans its days", () => {
    const r = periodRange("7d", new Date("2026-03-10T14:25:00Z"));
    expect(r.to).toBe("2026-03-10T15:00:00.000Z");
    expect(r.from).toBe("2026-03-03T15:00:00.000Z");
    expect(intervalFor("7d")).toBe("day");
  });

  it("compares counts in percent and rates in points", () => {
    expect(changeOf(150, 100)).toMatchObject({ direction: "up", text: "+50%" });
    expect(changeOf(95, 100)).toMatchObject({ direction: "down", text: "−5.0%" });
    expect(changeOf(5, 0)).toMatchObject({ relative: null, text: "new" });
    expect(changeOf(0, 0)).toMatchObject({ direction: "flat", text: "no change" });
    expect(changeOf(0.3, 0.25, "rate")).toMatchObject({ direction: "up", text: "+5.0 pts" });
  });

  it("merges series by time with the server's local labels", () => {
    const rows = mergeSeries(
      {
        sent: [
          { t: "2026-03-09T00:00:00-04:00", value: 4 },
          { t: "2026-03-08T00:00:00-05:00", value: 2 },
        ],
        opened: [{ t: "2026-03-08T00:00:00-05:00", value: 1 }],
      },
      "day",
    );
    expect(rows).toEqual([
      { t: "2026-03-08T00:00:00-05:00", label: "2026-03-08", sent: 2, opened: 1 },
      { t: "2026-03-09T00:00:00-04:00", label: "2026-03-09", sent: 4 },
    ]);
    expect(labelOf("2026-11-01T01:00:00-05:00", "hour")).toBe("11-01 01:00");
  });

  it("gives each funnel stage its share of sent", () => {
    const stages = funnelStages({ sent: 10, delivered: 8, opened: 3, clicked: 2, replied: 1 });
    expect(stages.map((s) => s.share)).toEqual([1, 0.8, 0.3, 0.2, 0.1]);
    expect(funnelStages({ sent: 0, delivered: 0, opened: 0, clicked: 0, replied: 0 })[0].share).toBe(0);
  });
});
