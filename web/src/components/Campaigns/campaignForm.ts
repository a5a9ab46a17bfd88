// The campaign form's state and what it sends: pure, so it is tested without a browser.
import type { Campaign, CampaignBody } from "../../api/campaigns";

export type AudienceKind = "all" | "segment" | "tags" | "leads";
export type ScheduleKind = "now" | "at" | "local_time" | "best_time";

export interface CampaignFormState {
  name: string;
  template_id: string;
  from_name: string;
  from_email: string;
  reply_to: string;
  audience: AudienceKind;
  segment_id: string;
  tags: string;
  lead_ids: string;
  schedule: ScheduleKind;
  scheduled_at: string; // <input type="datetime-local">, the browser's time zone
  local_time: string; // HH:MM
  timezone: string;
  throttle_per_minute: string;
  track_opens: boolean;
  track_clicks: boolean;
}

export function emptyForm(): CampaignFormState {
  return {
    name: "",
    template_id: "",
    from_name: "",
    from_email: "",
    reply_to: "",
    audience: "all",
    segment_id: "",
    tags: "",
    lead_ids: "",
    schedule: "now",
    scheduled_at: "",
    local_time: "09:00",
    timezone: "UTC",
    throttle_per_minute: "0",
    track_opens: true,
    track_clicks: true,
  };
}

const split = (s: string) =>
  s
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** A datetime-local value (local wall time) as RFC 3339 UTC, or "" when empty or invalid. */
export function localToUtc(value: string): string {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** RFC 3339 → the value a datetime-local input shows (the browser's time zone). */
export function utcToLocal(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formFromCampaign(c: Campaign): CampaignFormState {
  const a = c.audience;
  return {
    name: c.name,
    template_id: String(c.template_id),
    from_name: c.from_name,
    from_email: c.from_email,
    reply_to: c.reply_to,
    audience: a.segment_id ? "segment" : a.tags?.length ? "tags" : a.lead_ids?.length ? "leads" : "all",
    segment_id: a.segment_id ? String(a.segment_id) : "",
    tags: (a.tags ?? []).join(", "),
    lead_ids: (a.lead_ids ?? []).join(", "),
    schedule: c.schedule_mode,
    scheduled_at: utcToLocal(c.scheduled_at),
    local_time: c.local_time ?? "09:00",
    timezone: c.timezone,
    throttle_per_minute: String(c.throttle_per_minute),
    track_opens: c.track_opens,
    track_clicks: c.track_clicks,
  };
}

/**
 * The request body for the form. Values the server checks (addresses, ids) are passed through
 * as typed so its field errors name them; only the shape is decided here.
 */
export function bodyOf(f: CampaignFormState): CampaignBody {
  const audience: CampaignBody["audience"] =
    f.audience === "segment"
      ? { segment_id: Number(f.segment_id) }
      : f.audience === "tags"
        ? { tags: split(f.tags) }
        : f.audience === "leads"
          ? { lead_ids: split(f.lead_ids).map(Number) }
          : { all: true };
  const body: CampaignBody = {
    name: f.name.trim(),
    template_id: Number(f.template_id),
    audience,
    schedule_mode: f.schedule,
    throttle_per_minute: Number(f.throttle_per_minute || 0),
    track_opens: f.track_opens,
    track_clicks: f.track_clicks,
  };
  if (f.from_name.trim()) body.from_name = f.from_name.trim();
  if (f.from_email.trim()) body.from_email = f.from_email.trim();
  if (f.reply_to.trim()) body.reply_to = f.reply_to.trim();
  if (f.schedule === "at") body.scheduled_at = localToUtc(f.scheduled_at) || f.scheduled_at;
  if (f.schedule === "local_time") {
    body.local_time = f.local_time;
    body.timezone = f.timezone;
  }
  return body;
}

/** Maps a server field name ("audience.segment_id") to the form control that shows its error. */
export function controlOf(field: string): keyof CampaignFormState | "audience" {
  if (field === "audience.segment_id") return "segment_id";
  if (field === "audience.tags") return "tags";
  if (field === "audience.lead_ids") return "lead_ids";
  if (field.startsWith("audience")) return "audience";
  if (field === "schedule_mode") return "schedule";
  return field as keyof CampaignFormState;
}
