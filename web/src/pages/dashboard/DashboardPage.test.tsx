import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { json } from "../../test/fakeServer";
import { renderAppAt } from "../../test/renderApp";

afterEach(() => {
  vi.unstubAllGlobals();
  api.clear();
});

/** A server like Herald's: counts over a date range stop at 10,000 unless count=exact. */
const leads = ({ url }: { url: URL }) => {
  const q = url.searchParams;
  const ranged = q.has("created_from");
  const real = !ranged ? 25_000 : q.has("created_to") ? 1_200 : 12_345;
  const capped = ranged && q.get("count") !== "exact" && real > 10_000;
  return json(200, {
    items: [],
    total: capped ? 10_000 : real,
    total_is_lower_bound: capped,
    next_cursor: null,
    page: 1,
    page_size: 1,
  });
};

describe("the dashboard", () => {
  it("counts new leads exactly, never showing the capped count as a number", async () => {
    const server = renderAppAt("/dashboard", ["lead:read"], {
      "GET /api/leads": leads,
      "GET /api/segments": () => json(200, { items: [], total: 0, page: 1, page_size: 5 }),
    });
    const week = await screen.findByText("New in the last 7 days", {}, { timeout: 5000 });
    expect(await screen.findByText("12,345")).toBeInTheDocument();
    expect(week.parentElement).toHaveTextContent("12,345");
    expect(screen.getByText("25,000")).toBeInTheDocument();
    const ranged = server.calls.filter(
      (c) => c.path.startsWith("/api/leads?") && c.path.includes("created_from"),
    );
    expect(ranged.length).toBe(15); // the week and 14 days of the chart
    expect(ranged.every((c) => c.path.includes("count=exact"))).toBe(true);
    // Without a permission, no tile for it.
    expect(screen.queryByText("Failed jobs")).toBeNull();
  });

  it("charts messages sent per day from the analytics time series, only for analytics readers", async () => {
    const points = Array.from({ length: 14 }, (_, i) => ({
      t: `2026-03-${String(i + 1).padStart(2, "0")}T00:00:00Z`,
      value: i === 13 ? 1_234 : i,
    }));
    const server = renderAppAt("/dashboard", ["analytics:read"], {
      "GET /api/analytics/timeseries": () =>
        json(200, { metric: "sent", interval: "day", tz: "UTC", points }),
    });
    const table = await screen.findByRole("table", { name: "Messages sent per day (UTC)" });
    expect(table).toHaveTextContent("2026-03-14");
    expect(table).toHaveTextContent("1234");
    const call = server.calls.find((c) => c.path.startsWith("/api/analytics/timeseries"))!;
    expect(call.path).toContain("metric=sent");
    expect(call.path).toContain("interval=day");
    expect(call.path).toContain("tz=UTC");

    vi.unstubAllGlobals();
    api.clear();
    const other = renderAppAt("/dashboard", ["lead:read"], {
      "GET /api/leads": leads,
      "GET /api/segments": () => json(200, { items: [], total: 0, page: 1, page_size: 5 }),
    });
    await screen.findAllByText("New in the last 7 days");
    expect(other.calls.some((c) => c.path.startsWith("/api/analytics"))).toBe(false);
  });
});
