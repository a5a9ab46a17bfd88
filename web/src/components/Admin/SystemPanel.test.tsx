import { render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { formatMs, formatPercent } from "../../lib/format";
import { fakeFetch, json } from "../../test/fakeServer";
import { SystemPanel } from "./SystemPanel";

const minute = (i: number, calls: number, errors: number, avg: number) => ({
  t: new Date(Date.UTC(2026, 10, 30, 12, i)).toISOString(),
  calls,
  errors,
  avg_response_ms: avg,
});

const figures = {
  status: "degraded",
  reason: "redis: unhealthy (connection refused)",
  version: "0.1.0",
  uptime_s: 7200,
  generated_at: "2026-11-30T12:05:00Z",
  active_users_24h: 12,
  active_campaigns: 2,
  api_calls_today: 12345,
  api_calls_24h: 23456,
  errors_24h: 47,
  error_rate_24h: 47 / 23456,
  avg_response_ms_24h: 3.42,
  p95_response_ms_24h: 18.7,
  system: { cpu_percent: 37.5, memory_percent: 81, disk_percent: 93.2 },
  services: {
    database: { status: "healthy", latency_ms: 0.4 },
    redis: { status: "unhealthy", latency_ms: 1.2, error: "connection refused" },
    sentry: { status: "not_configured" },
  },
  queues: [
    {
      name: "emails",
      pending: 120,
      scheduled: 0,
      active: 2,
      failed: 1,
      processed_per_minute: 40,
      oldest_pending_age_s: 3,
    },
    {
      name: "campaigns",
      pending: 3,
      scheduled: 1,
      active: 0,
      failed: 0,
      processed_per_minute: 0,
      oldest_pending_age_s: 0,
    },
    {
      name: "analytics",
      pending: 0,
      scheduled: 0,
      active: 0,
      failed: 0,
      processed_per_minute: 0,
      oldest_pending_age_s: 0,
    },
  ],
  traffic: [minute(0, 10, 0, 2.5), minute(1, 0, 0, 0), minute(2, 30, 3, 4.75)],
};

function renderWith(handler: () => Response) {
  const server = fakeFetch({ "GET /api/admin/system": handler });
  vi.stubGlobal("fetch", server.fetch);
  api.adopt({ token: "t", refresh_token: "r", expires_in: 900 });
  render(<SystemPanel />);
  return server;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("SystemPanel", () => {
  it("shows a dash when the active campaigns could not be counted", async () => {
    renderWith(() => json(200, { ...figures, active_campaigns: null }));
    const tiles = await screen.findByTestId("system-figures");
    const tile = within(tiles).getByText("Active campaigns").parentElement!;
    expect(tile).toHaveTextContent("—");
    expect(tile).toHaveTextContent("could not be counted");
  });

  it("shows the figures as tiles, the bars, the services and the reason", async () => {
    const server = renderWith(() => json(200, figures));
    const tiles = await screen.findByTestId("system-figures");
    const tile = (label: string) => within(tiles).getByText(label).parentElement!;
    expect(tile("Active users (24 h)")).toHaveTextContent("12");
    expect(tile("Active campaigns")).toHaveTextContent("2");
    expect(tile("Active campaigns")).toHaveTextContent("scheduled, sending or paused");
    expect(tile("API calls today")).toHaveTextContent("12,345");
    expect(tile("API calls today")).toHaveTextContent("23,456 in 24 h");
    expect(tile("Error rate (24 h)")).toHaveTextContent("0.2%");
    expect(tile("Error rate (24 h)")).toHaveTextContent("47 server errors");
    expect(tile("Avg response (24 h)")).toHaveTextContent("3.4 ms");
    expect(tile("p95 response (24 h)")).toHaveTextContent("19 ms");
    expect(tile("Uptime")).toHaveTextContent("2.0 h");
    expect(tile("Jobs pending")).toHaveTextContent("123");
    expect(tile("Jobs pending")).toHaveTextContent("emails 120 · campaigns 3 · analytics 0");

    const health = screen.getByTestId("health");
    expect(within(health).getByRole("progressbar", { name: "CPU" })).toHaveAttribute("aria-valuenow", "38");
    expect(within(health).getByRole("progressbar", { name: "Memory" })).toHaveAttribute(
      "aria-valuenow",
      "81",
    );
    expect(within(health).getByRole("progressbar", { name: "Disk" })).toHaveAttribute("aria-valuenow", "93");
    expect(within(health).getByText("Redis").parentElement).toHaveTextContent("unhealthy");
    expect(screen.getByTestId("health-reason")).toHaveTextContent("redis: unhealthy (connection refused)");
    expect(screen.getByTestId("traffic-charts")).toBeInTheDocument();
    // The charts' numbers are there for screen readers too.
    expect(screen.getByText("API calls and 5xx errors per minute")).toBeInTheDocument();
    expect(server.calls[0].path).toBe("/api/admin/system?minutes=60");
    expect(server.calls[0].auth).toBe("Bearer t");
  });

  it("counts active campaigns from the campaigns summary while the system figures leave them out", async () => {
    const server = fakeFetch({
      "GET /api/admin/system": () => json(200, { ...figures, active_campaigns: null }),
      "GET /api/campaigns/summary": () =>
        json(200, { by_status: { draft: 4, scheduled: 1, sending: 2, paused: 1, completed: 9 } }),
    });
    vi.stubGlobal("fetch", server.fetch);
    api.adopt({ token: "t", refresh_token: "r", expires_in: 900 });
    render(<SystemPanel countCampaigns />);
    const tiles = await screen.findByTestId("system-figures");
    const tile = within(tiles).getByText("Active campaigns").parentElement!;
    expect(await within(tile).findByText("4", { exact: true })).toBeInTheDocument();
    expect(tile).toHaveTextContent("2 sending · 1 scheduled · 1 paused");
  });

  it("shows the system's own active-campaign count when it gives one", async () => {
    const server = fakeFetch({
      "GET /api/admin/system": () => json(200, { ...figures, active_campaigns: 6 }),
    });
    vi.stubGlobal("fetch", server.fetch);
    api.adopt({ token: "t", refresh_token: "r", expires_in: 900 });
    render(<SystemPanel countCampaigns />);
    const tiles = await screen.findByTestId("system-figures");
    const tile = within(tiles).getByText("Active campaigns").parentElement!;
    expect(within(tile).getByText("6", { exact: true })).toBeInTheDocument();
    expect(server.calls.some((c) => c.path.startsWith("/api/campaigns"))).toBe(false);
  });

  it("offers a retry when the figures cannot be read", async () => {
    renderWith(() =>
      json(503, {
        type: "urn:herald:problem:unavailable",
        title: "Service Unavailable",
        status: 503,
        detail: "the database is unavailable",
      }),
    );
    expect(await screen.findByText(/the database is unavailable/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});

describe("figure formats", () => {
  it("rounds percentages and durations for people", () => {
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(0.0004)).toBe("<0.1%");
    expect(formatPercent(0.025)).toBe("2.5%");
    expect(formatPercent(0.173)).toBe("17%");
    expect(formatMs(0.84)).toBe("0.8 ms");
    expect(formatMs(42.4)).toBe("42 ms");
    expect(formatMs(1250)).toBe("1.25 s");
  });
});
