// Response models. Each is tied to the generated description with ApiModel: the fields the API
// describes come from schema.d.ts; the rest are written here from the server's JSON until the
// route table describes them.
import type { ApiModel, ResponseOf } from "./typed";

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export type Permission = string;

export interface User {
  id: number;
  email: string;
  name: string;
  role: string;
  active: boolean;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export type Me = ApiModel<ResponseOf<"/api/auth/me", "get">, User & { permissions: Permission[] }>;

export type LoginResponse = ApiModel<
  ResponseOf<"/api/auth/login", "post">,
  { user: User; permissions: Permission[] },
  { token_type: string }
>;

export type Role = {
  id: number;
  name: string;
  description: string;
  permissions: Permission[];
  builtin: boolean;
  users: number;
  created_at: string;
  updated_at: string;
};

export interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  permissions: Permission[];
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
export type CreatedApiKey = ApiKey & { key: string };

export const LEAD_STATUSES = [
  "new",
  "contacted",
  "replied",
  "interested",
  "not_interested",
  "converted",
  "unsubscribed",
  "bounced",
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export interface Lead {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  company: string;
  title: string;
  phone: string;
  website: string;
  country: string;
  timezone: string;
  status: LeadStatus;
  score: number;
  /** The top contributors to the score from the last scoring run ([] until one runs). */
  score_reasons?: { feature: string; weight: number }[];
  owner_id: number | null;
  tags: string[];
  custom_fields: Record<string, unknown>;
  source: string;
  created_at: string;
  updated_at: string;
  last_contacted_at: string | null;
  last_activity_at: string | null;
}

/** total_is_lower_bound: the count stopped at its cap (10,000; 1,000 for a search); there are at least `total`. */
export type LeadPage = Page<Lead> & { next_cursor: number | null; total_is_lower_bound: boolean };

export type LeadFilterObject = Record<string, string | string[]>;

export interface Segment {
  id: number;
  name: string;
  description: string;
  filter: LeadFilterObject;
  member_count: number;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface Suppression {
  id: number;
  kind: "email" | "domain";
  value: string | null;
  value_hash: string;
  reason: string;
  note: string;
  created_by: number | null;
  created_at: string;
}

export type ImportStatus = "queued" | "running" | "completed" | "failed";
export type ImportJob = ApiModel<
  ResponseOf<"/api/leads/import/{job_id}", "get">,
  { status: ImportStatus; errors: { line: number; reason: string; kind: string }[] },
  {
    errors_total: number;
    errors_stored: number;
    errors_url: string;
    error: string | null;
    filename: string;
    bytes: number;
    mode: string;
    created_at: string;
    started_at: string | null;
    finished_at: string | null;
  }
>;
export type ImportStarted = ApiModel<ResponseOf<"/api/leads/import", "post">>;

export type BulkResult = ApiModel<ResponseOf<"/api/leads/bulk", "post">>;

export interface AuditEntry {
  id: number;
  created_at: string;
  user_id: number | null;
  actor: string;
  action: string;
  resource: string;
  ip: string;
  request_id: string;
  success: boolean;
  error: string;
  details: unknown;
}
export interface AuditPage {
  items: AuditEntry[];
  next_cursor: number | null;
  limit: number;
}
export type AuditVerify = ApiModel<
  ResponseOf<"/api/admin/audit-logs/verify", "get">,
  { first_broken_id: number | null }
>;

type QueuesResponse = ApiModel<ResponseOf<"/api/admin/queues", "get">>;
export type QueueStats = Required<NonNullable<QueuesResponse["queues"]>[number]>;

export interface FailedJob {
  id: string;
  name: string;
  status: string;
  attempts: number;
  max_attempts: number;
  error: string | null;
  payload: unknown;
  created_at: string;
  failed_at: string | null;
}
export type FailedJobPage = ApiModel<
  ResponseOf<"/api/admin/queues/{queue}/failed", "get">,
  { items: FailedJob[] }
>;
export type RetryResult = ApiModel<ResponseOf<"/api/admin/queues/{queue}/retry", "post">>;

export type ServiceStatus = "healthy" | "degraded" | "unhealthy" | "not_configured" | string;
export interface ServiceHealth {
  status: ServiceStatus;
  latency_ms?: number;
  [detail: string]: unknown;
}
export type HealthDetailed = ApiModel<
  ResponseOf<"/api/health/detailed", "get">,
  {
    status: ServiceStatus;
    system: { cpu_percent: number; memory_percent: number; disk_percent: number };
    services: Record<string, ServiceHealth>;
  }
>;

export type Template = ApiModel<
  ResponseOf<"/api/templates/{id}", "get">,
  {
    id: number;
    name: string;
    subject: string;
    html: string;
    text: string;
    text_generated: boolean;
    version: number;
    created_at: string;
    updated_at: string;
  }
>;
export type RenderedTemplate = ApiModel<
  ResponseOf<"/api/templates/{id}/preview", "post">,
  { subject: string; html: string; text: string }
>;
export interface TemplateTestResult {
  email: string;
  delivered: boolean;
  detail: string;
}
export type TemplateTestAnswer = ApiModel<
  ResponseOf<"/api/templates/{id}/test", "post">,
  { results: TemplateTestResult[] }
>;

export interface DomainLimit {
  domain: string;
  per_minute: number;
}
export interface DkimKey {
  domain: string;
  selector: string;
  dns_name: string;
  dns_txt: string;
  created_at: string;
  source: "generated" | "config";
  error?: string;
}
export type MailSettings = ApiModel<
  ResponseOf<"/api/settings", "get">,
  {
    sender: { from_name: string; from_email: string; reply_to: string };
    tracking: { track_opens: boolean; track_clicks: boolean };
    domain_limits: DomainLimit[];
    smtp: {
      transport: "smtp" | "outbox";
      host: string;
      port: number;
      tls: string;
      username: string;
      verify_certificate: boolean;
      pool: number;
      url: string;
    };
    public_url: string;
    dkim: DkimKey[];
    ai: AiSettings;
    inbound: InboundSettings;
  }
>;
/** Settings › Inbound mailbox: the IMAP mailbox Herald reads bounces, complaints and replies from. */
export interface InboundSettings {
  enabled: boolean;
  imap_url: string;
  user: string;
  password_set: boolean;
  poll_interval_s: number;
}
export type InboundTestResult = ApiModel<
  ResponseOf<"/api/settings/inbound/test", "post">,
  { ok: boolean; messages: number; unseen: number }
>;
/** Settings › AI: the provider in effect (the key itself is never returned). */
export interface AiSettings {
  base_url: string;
  model: string;
  api_key_set: boolean;
  daily_token_budget: number;
  configured: boolean;
  source: { base_url: string; model: string; api_key: string };
}
export type SmtpTestResult = ApiModel<
  ResponseOf<"/api/settings/smtp/test", "post">,
  { delivered: boolean; transport: string; detail: string; message_id: string }
>;
export interface OutboxEntry {
  id: number;
  from: string;
  to: string;
  subject: string;
  campaign_id: number | null;
  message_id: string;
  size: number;
  created_at: string;
}
export type OutboxMessage = OutboxEntry & { raw: string };
/** One minute of API traffic, summed over every API process. */
export interface TrafficMinute {
  t: string;
  calls: number;
  errors: number;
  avg_response_ms: number;
}
/** GET /api/admin/system: the admin dashboard's figures for the whole installation. */
export type SystemFigures = ApiModel<
  ResponseOf<"/api/admin/system", "get">,
  {
    status: ServiceStatus;
    active_campaigns: number | null;
    system: { cpu_percent: number; memory_percent: number; disk_percent: number };
    services: Record<string, ServiceHealth>;
    queues: QueueStats[];
    traffic: TrafficMinute[];
  }
>;
