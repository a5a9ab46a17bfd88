// The analytics API for the UI: one function per call, typed from the generated description.
import { api } from "./client";
import type { QueryOf, ResponseOf } from "./typed";

export type Overview = ResponseOf<"/api/analytics/overview", "get">;
export type Timeseries = ResponseOf<"/api/analytics/timeseries", "get">;
export type CampaignAnalytics = ResponseOf<"/api/analytics/campaigns/{id}", "get">;
export type OverviewQuery = QueryOf<"/api/analytics/overview", "get">;
export type TimeseriesQuery = QueryOf<"/api/analytics/timeseries", "get">;

const as = <T>(p: Promise<unknown>) => p as Promise<T>;

export const analyticsApi = {
  overview: (query: OverviewQuery, signal?: AbortSignal) =>
    as<Overview>(api.get("/api/analytics/overview", { query, signal })),
  timeseries: (query: TimeseriesQuery, signal?: AbortSignal) =>
    as<Timeseries>(api.get("/api/analytics/timeseries", { query, signal })),
  campaign: (id: number, query: { interval?: string; tz?: string }, signal?: AbortSignal) =>
    as<CampaignAnalytics>(
      api.get("/api/analytics/campaigns/{id}", { params: { id: String(id) }, query, signal }),
    ),
  overviewCsv: (query: OverviewQuery) =>
    api.download("/api/analytics/overview", "analytics-overview.csv", { query: { ...query, format: "csv" } }),
  timeseriesCsv: (query: TimeseriesQuery) =>
    api.download("/api/analytics/timeseries", `analytics-${String(query.metric)}.csv`, {
      query: { ...query, format: "csv" },
    }),
  campaignCsv: (id: number) =>
    api.download("/api/analytics/campaigns/{id}", `campaign-${id}-analytics.csv`, {
      params: { id: String(id) },
      query: { format: "csv" },
    }),
};
