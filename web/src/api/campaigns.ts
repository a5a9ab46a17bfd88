// The campaigns API for the UI: one function per call, typed from the generated description.
import { api } from "./client";
import type { Page } from "./models";
import type { ApiModel, BodyOf, QueryOf, ResponseOf } from "./typed";

export type Campaign = ApiModel<ResponseOf<"/api/campaigns/{id}", "get">>;
export type CampaignStats = Campaign["stats"];
export type CampaignStatus = Campaign["status"];
export type CampaignBody = BodyOf<"/api/campaigns", "post">;
export type CampaignPatch = BodyOf<"/api/campaigns/{id}", "patch">;
export type Recipient = ApiModel<ResponseOf<"/api/campaigns/{id}/recipients", "get">["items"][number]>;
export type SendAnswer = ResponseOf<"/api/campaigns/{id}/send", "post">;
export type TestAnswer = ResponseOf<"/api/campaigns/{id}/test", "post">;
export type Timeline = ResponseOf<"/api/campaigns/{id}/timeline", "get">;

export const CAMPAIGN_STATUSES = [
  "draft",
  "scheduled",
  "sending",
  "paused",
  "completed",
  "cancelled",
  "failed",
] as const;
export const RECIPIENT_STATES = [
  "queued",
  "sending",
  "sent",
  "deferred",
  "failed",
  "skipped",
  "cancelled",
] as const;

/** Finished recipients (sent, failed or skipped) as a share of all, 0–100. */
export function progressOf(stats: CampaignStats): number {
  if (!stats.recipients) return 0;
  const done = stats.sent + stats.failed + (stats.skipped ?? 0) + (stats.cancelled ?? 0);
  return (100 * done) / stats.recipients;
}

const as = <T>(p: Promise<unknown>) => p as Promise<T>;
const id = (n: number) => ({ id: String(n) });

export const campaignsApi = {
  list: (query: QueryOf<"/api/campaigns", "get">, signal?: AbortSignal) =>
    as<Page<Campaign>>(api.get("/api/campaigns", { query, signal })),
  get: (n: number, signal?: AbortSignal) =>
    as<Campaign>(api.get("/api/campaigns/{id}", { params: id(n), signal })),
  create: (body: CampaignBody) => as<Campaign | SendAnswer>(api.post("/api/campaigns", { body })),
  update: (n: number, body: CampaignPatch) =>
    as<Campaign>(api.patch("/api/campaigns/{id}", { params: id(n), body })),
  remove: (n: number) => api.delete("/api/campaigns/{id}", { params: id(n) }),
  send: (n: number) => as<SendAnswer>(api.post("/api/campaigns/{id}/send", { params: id(n) })),
  pause: (n: number) => as<Campaign>(api.post("/api/campaigns/{id}/pause", { params: id(n) })),
  resume: (n: number) => as<Campaign>(api.post("/api/campaigns/{id}/resume", { params: id(n) })),
  cancel: (n: number) => as<Campaign>(api.post("/api/campaigns/{id}/cancel", { params: id(n) })),
  test: (n: number, emails: string[]) =>
    as<TestAnswer>(api.post("/api/campaigns/{id}/test", { params: id(n), body: { emails } })),
  recipients: (n: number, query: QueryOf<"/api/campaigns/{id}/recipients", "get">, signal?: AbortSignal) =>
    as<Page<Recipient>>(api.get("/api/campaigns/{id}/recipients", { params: id(n), query, signal })),
  timeline: (n: number, minutes: number, signal?: AbortSignal) =>
    as<Timeline>(api.get("/api/campaigns/{id}/timeline", { params: id(n), query: { minutes }, signal })),
  summary: (signal?: AbortSignal) =>
    as<ResponseOf<"/api/campaigns/summary", "get">>(api.get("/api/campaigns/summary", { signal })),
};
