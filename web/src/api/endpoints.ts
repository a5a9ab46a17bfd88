// One function per API call the UI makes, grouped by domain. New domains (templates, campaigns,
// settings, analytics) add a group here and pages under src/pages/<domain>/.
import { api } from "./client";
import type {
  ApiKey,
  DkimKey,
  InboundTestResult,
  MailSettings,
  OutboxEntry,
  OutboxMessage,
  RenderedTemplate,
  SmtpTestResult,
  Template,
  TemplateTestAnswer,
  AuditPage,
  AuditVerify,
  BulkResult,
  CreatedApiKey,
  FailedJobPage,
  HealthDetailed,
  ImportJob,
  ImportStarted,
  Lead,
  LeadFilterObject,
  LeadPage,
  LoginResponse,
  Me,
  Page,
  QueueStats,
  RetryResult,
  Role,
  SystemFigures,
  Segment,
  Suppression,
  User,
} from "./models";
import type { QueryOf } from "./typed";
import type { Analysis, ScoreJob } from "../components/Assistant/advice";
import type { SendTimes } from "../components/Assistant/sendTimes";

const as = <T>(p: Promise<unknown>) => p as Promise<T>;

export type LeadListQuery = QueryOf<"/api/leads", "get">;
export type LeadExportQuery = QueryOf<"/api/leads/export", "get">;
export type AuditQuery = QueryOf<"/api/admin/audit-logs", "get">;

export const authApi = {
  login: (email: string, password: string) =>
    as<LoginResponse>(api.post("/api/auth/login", { body: { email, password }, anonymous: true })),
  logout: (refresh_token?: string) =>
    api.post("/api/auth/logout", { body: refresh_token ? { refresh_token } : undefined }),
  me: (signal?: AbortSignal) => as<Me>(api.get("/api/auth/me", { signal })),
  /** The signed-in user's own password; other sessions end, this one stays. */
  changePassword: (current_password: string, password: string) =>
    api.post("/api/auth/password", { body: { current_password, password } }),
  apiKeys: () => as<{ items: ApiKey[] }>(api.get("/api/auth/api-keys")),
  createApiKey: (name: string, permissions: string[]) =>
    as<CreatedApiKey>(api.post("/api/auth/api-keys", { body: { name, permissions } })),
  revokeApiKey: (id: number) => api.delete("/api/auth/api-keys/{id}", { params: { id: String(id) } }),
};

export const leadsApi = {
  list: (query: LeadListQuery, signal?: AbortSignal) =>
    as<LeadPage>(api.get("/api/leads", { query, signal })),
  get: (id: number) => as<Lead>(api.get("/api/leads/{id}", { params: { id: String(id) } })),
  create: (body: Partial<Lead>) => as<Lead>(api.post("/api/leads", { body })),
  update: (id: number, body: Record<string, unknown>) =>
    as<Lead>(api.patch("/api/leads/{id}", { params: { id: String(id) }, body })),
  remove: (id: number) => api.delete("/api/leads/{id}", { params: { id: String(id) } }),
  bulk: (
    body: { action: string; tag?: string; status?: string; owner_id?: number | null } & (
      { ids: number[] } | { filter: LeadFilterObject }
    ),
  ) => as<BulkResult>(api.post("/api/leads/bulk", { body })),
  exportCsv: (query: LeadExportQuery) => api.download("/api/leads/export", "leads.csv", { query }),
  gdprExport: (id: number) =>
    api.download("/api/leads/{id}/gdpr-export", `lead-${id}-gdpr.json`, { params: { id: String(id) } }),
  gdprErase: (id: number) =>
    as<{ id: number; erased: boolean; suppression_hash: string }>(
      api.post("/api/leads/{id}/gdpr-erase", { params: { id: String(id) } }),
    ),
  importStatus: (jobId: string) =>
    as<ImportJob>(api.get("/api/leads/import/{job_id}", { params: { job_id: jobId } })),
  importErrors: (jobId: string) =>
    api.download("/api/leads/import/{job_id}/errors", `import-${jobId}-errors.csv`, {
      params: { job_id: jobId },
    }),
  /** Streams the file as the body; query options as in the API (mode, tag, list, mapping, filename). */
  startImport: (
    file: Blob,
    query: QueryOf<"/api/leads/import", "post">,
    onProgress?: (sent: number, total: number) => void,
  ) =>
    api.upload<ImportStarted, "/api/leads/import">("/api/leads/import", query, file, "text/csv", onProgress),
  suppressions: (query: QueryOf<"/api/leads/suppressions", "get">) =>
    as<Page<Suppression>>(api.get("/api/leads/suppressions", { query })),
  createSuppression: (body: { email?: string; domain?: string; reason?: string; note?: string }) =>
    as<Suppression>(api.post("/api/leads/suppressions", { body })),
  deleteSuppression: (id: number) =>
    api.delete("/api/leads/suppressions/{id}", { params: { id: String(id) } }),
};

export const segmentsApi = {
  list: (page = 1, page_size = 200) =>
    as<Page<Segment>>(api.get("/api/segments", { query: { page, page_size } })),
  create: (body: { name: string; description?: string; filter: LeadFilterObject }) =>
    as<Segment>(api.post("/api/segments", { body })),
  update: (id: number, body: { name?: string; description?: string; filter?: LeadFilterObject }) =>
    as<Segment>(api.patch("/api/segments/{id}", { params: { id: String(id) }, body })),
  remove: (id: number) => api.delete("/api/segments/{id}", { params: { id: String(id) } }),
};

export const adminApi = {
  users: (query: QueryOf<"/api/admin/users", "get">) =>
    as<Page<User>>(api.get("/api/admin/users", { query })),
  createUser: (body: { email: string; name?: string; role?: string; password: string; active?: boolean }) =>
    as<User>(api.post("/api/admin/users", { body })),
  updateUser: (id: number, body: { name?: string; role?: string; active?: boolean; password?: string }) =>
    as<User>(api.patch("/api/admin/users/{id}", { params: { id: String(id) }, body })),
  deleteUser: (id: number) => api.delete("/api/admin/users/{id}", { params: { id: String(id) } }),
  roles: () => as<{ items: Role[] }>(api.get("/api/admin/roles")),
  createRole: (body: { name: string; description?: string; permissions: string[] }) =>
    as<Role>(api.post("/api/admin/roles", { body })),
  updateRole: (id: number, body: { name?: string; description?: string; permissions?: string[] }) =>
    as<Role>(api.patch("/api/admin/roles/{id}", { params: { id: String(id) }, body })),
  deleteRole: (id: number) => api.delete("/api/admin/roles/{id}", { params: { id: String(id) } }),
  audit: (query: AuditQuery) => as<AuditPage>(api.get("/api/admin/audit-logs", { query })),
  auditCsv: (query: AuditQuery) =>
    api.download("/api/admin/audit-logs", "audit-log.csv", { query: { ...query, format: "csv" } }),
  verifyAudit: () => as<AuditVerify>(api.get("/api/admin/audit-logs/verify")),
  queues: () => as<{ queues: QueueStats[] }>(api.get("/api/admin/queues")),
  /** Figures summed over every API process, with a per-minute series of `minutes` minutes. */
  system: (minutes = 60) => as<SystemFigures>(api.get("/api/admin/system", { query: { minutes } })),
  failedJobs: (queue: string, page = 1, page_size = 50) =>
    as<FailedJobPage>(
      api.get("/api/admin/queues/{queue}/failed", { params: { queue }, query: { page, page_size } }),
    ),
  retry: (queue: string, jobId?: string) =>
    as<RetryResult>(
      api.post("/api/admin/queues/{queue}/retry", {
        params: { queue },
        body: jobId ? { job_id: jobId } : {},
      }),
    ),
};

export const healthApi = {
  /** 503 still carries the report (status "unhealthy"). */
  detailed: () => as<HealthDetailed>(api.get("/api/health/detailed", { acceptStatus: [503] })),
};

export const templatesApi = {
  list: (query: QueryOf<"/api/templates", "get">, signal?: AbortSignal) =>
    as<Page<Template>>(api.get("/api/templates", { query, signal })),
  get: (id: number) => as<Template>(api.get("/api/templates/{id}", { params: { id: String(id) } })),
  create: (body: { name: string; subject: string; html: string; text?: string }) =>
    as<Template>(api.post("/api/templates", { body })),
  update: (id: number, body: { name?: string; subject?: string; html?: string; text?: string }) =>
    as<Template>(api.patch("/api/templates/{id}", { params: { id: String(id) }, body })),
  remove: (id: number) => api.delete("/api/templates/{id}", { params: { id: String(id) } }),
  preview: (id: number, lead_id?: number) =>
    as<RenderedTemplate>(
      api.post("/api/templates/{id}/preview", {
        params: { id: String(id) },
        body: lead_id ? { lead_id } : {},
      }),
    ),
  previewDraft: (body: { subject: string; html: string; text?: string; lead_id?: number }) =>
    as<RenderedTemplate>(api.post("/api/templates/preview", { body })),
  test: (id: number, emails: string[], lead_id?: number) =>
    as<TemplateTestAnswer>(
      api.post("/api/templates/{id}/test", {
        params: { id: String(id) },
        body: lead_id ? { emails, lead_id } : { emails },
      }),
    ),
};

export const settingsApi = {
  get: () => as<MailSettings>(api.get("/api/settings")),
  update: (body: Record<string, unknown>) => as<MailSettings>(api.patch("/api/settings", { body })),
  dkimKeys: () => as<{ items: DkimKey[] }>(api.get("/api/settings/dkim")),
  createDkimKey: (domain: string, selector: string) =>
    as<DkimKey>(api.post("/api/settings/dkim", { body: { domain, selector } })),
  deleteDkimKey: (domain: string) => api.delete("/api/settings/dkim/{domain}", { params: { domain } }),
  smtpTest: (to: string) => as<SmtpTestResult>(api.post("/api/settings/smtp/test", { body: { to } })),
  /** Fields left out (the password, typically) are the stored settings'. */
  inboundTest: (body: { imap_url?: string; user?: string; password?: string }) =>
    as<InboundTestResult>(api.post("/api/settings/inbound/test", { body })),
};

export const outboxApi = {
  list: (query: QueryOf<"/api/admin/outbox", "get">) =>
    as<Page<OutboxEntry>>(api.get("/api/admin/outbox", { query })),
  get: (id: number) => as<OutboxMessage>(api.get("/api/admin/outbox/{id}", { params: { id: String(id) } })),
};

/** The AI assistant's built-in tools (no provider needed). */
export const advisorApi = {
  analyze: (body: { subject: string; html?: string; text?: string }, signal?: AbortSignal) =>
    as<Analysis>(api.post("/api/ai/analyze", { body, signal })),
  scoreLeads: () => as<{ job_id: string; status: string }>(api.post("/api/ai/score-leads", { body: {} })),
  scoreStatus: (jobId: string) =>
    as<ScoreJob>(api.get("/api/ai/score-leads/{job_id}", { params: { job_id: jobId } })),
  /** The best hour of the week to send: a lead's, a segment's, or everyone's. */
  sendTimes: (query: { lead_id?: string; segment_id?: string }) =>
    as<SendTimes>(api.get("/api/ai/send-times", { query })),
};
