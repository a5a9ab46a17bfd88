import { describe, expect, it } from "vitest";
import { bodyOf, controlOf, emptyForm, localToUtc, utcToLocal } from "./campaignForm";

describe("campaign form", () => {
  it("sends all leads by default and leaves the sender to the settings", () => {
    const f = { ...emptyForm(), name: " Winter ", template_id: "3" };
    const body = bodyOf(f);
    expect(body).toMatchObject({
      name: "Winter",
      template_id: 3,
      audience: { all: true },
      schedule_mode: "now",
    });
    expect(body).not.toHaveProperty("from_email");
    expect(body).not.toHaveProperty("scheduled_at");
  });

  it("builds each audience kind", () => {
    const base = { ...emptyForm(), name: "x", template_id: "1" };
    expect(bodyOf({ ...base, audience: "segment", segment_id: "7" }).audience).toEqual({ segment_id: 7 });
    expect(bodyOf({ ...base, audience: "tags", tags: "vip, fair-2026 ;beta" }).audience).toEqual({
      tags: ["vip", "fair-2026", "beta"],
    });
    expect(bodyOf({ ...base, audience: "leads", lead_ids: "4 5,6" }).audience).toEqual({
      lead_ids: [4, 5, 6],
    });
  });

  it("sends the schedule's own fields only", () => {
    const base = { ...emptyForm(), name: "x", template_id: "1" };
    const at = bodyOf({ ...base, schedule: "at", scheduled_at: "2030-01-02T09:30" });
    expect(at.schedule_mode).toBe("at");
    expect(at.scheduled_at).toBe(localToUtc("2030-01-02T09:30"));
    expect(at).not.toHaveProperty("local_time");
    const local = bodyOf({ ...base, schedule: "local_time", local_time: "08:15", timezone: "Europe/Berlin" });
    expect(local).toMatchObject({
      schedule_mode: "local_time",
      local_time: "08:15",
      timezone: "Europe/Berlin",
    });
    expect(local).not.toHaveProperty("scheduled_at");
    const best = bodyOf({
      ...base,
      schedule: "best_time",
      scheduled_at: "2030-01-02T09:30",
      local_time: "08:15",
    });
    expect(best.schedule_mode).toBe("best_time");
    expect(best).not.toHaveProperty("scheduled_at");
    expect(best).not.toHaveProperty("local_time");
  });

  it("converts between the browser's wall time and UTC both ways", () => {
    const iso = localToUtc("2030-06-01T12:00");
    expect(iso).toMatch(/^2030-06-01T\d\d:00:00Z$/);
    expect(utcToLocal(iso)).toBe("2030-06-01T12:00");
    expect(localToUtc("")).toBe("");
    expect(localToUtc("not a date")).toBe("");
  });

  it("puts server field errors beside their controls", () => {
    expect(controlOf("audience.segment_id")).toBe("segment_id");
    expect(controlOf("audience.tags")).toBe("tags");
    expect(controlOf("audience")).toBe("audience");
    expect(controlOf("schedule_mode")).toBe("schedule");
    expect(controlOf("from_email")).toBe("from_email");
  });
});
