import { useEffect, useState, type FormEvent } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { campaignsApi, type Campaign } from "../../api/campaigns";
import { api } from "../../api/client";
import { leadsApi, segmentsApi } from "../../api/endpoints";
import { ApiError } from "../../api/errors";
import type { Page } from "../../api/models";
import { useAuth } from "../../auth/AuthContext";
import {
  bodyOf,
  controlOf,
  emptyForm,
  formFromCampaign,
  type CampaignFormState,
} from "../../components/Campaigns/campaignForm";
import { Button, ButtonLink } from "../../components/ui/Button";
import { Card, PageHeader } from "../../components/ui/Card";
import { Checkbox, RadioChoices, SelectField, TextField } from "../../components/ui/Field";
import { ErrorState, FormErrors, LoadingState } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { formatNumber } from "../../lib/format";
import { useAsync, useDebounced } from "../../lib/hooks";

interface TemplateItem {
  id: number;
  name: string;
  version?: number;
}

const PLACED = [
  "name",
  "template_id",
  "from_name",
  "from_email",
  "reply_to",
  "audience",
  "segment_id",
  "tags",
  "lead_ids",
  "schedule",
  "scheduled_at",
  "local_time",
  "timezone",
  "throttle_per_minute",
];

/** New campaign (/campaigns/new) or editing one (/campaigns/:id/edit). */
export function CampaignEditorPage() {
  const params = useParams();
  const editing = params.id ? Number(params.id) : null;
  const existing = useAsync((signal) => campaignsApi.get(editing ?? 0, signal), [editing], {
    enabled: editing !== null,
  });
  if (editing !== null) {
    if (existing.error) return <ErrorState error={existing.error} onRetry={existing.reload} />;
    if (!existing.data) return <LoadingState />;
    return <CampaignEditor campaign={existing.data} />;
  }
  return <CampaignEditor />;
}

function CampaignEditor({ campaign }: { campaign?: Campaign }) {
  const { can } = useAuth();
  const toast = useToast();
  const navigate = useNavigate();
  const [form, setForm] = useState<CampaignFormState>(() =>
    campaign ? formFromCampaign(campaign) : emptyForm(),
  );
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof CampaignFormState>(k: K, v: CampaignFormState[K]) =>
    setForm((f) => ({ ...f, [k]: v }));

  const templates = useAsync(
    () => api.get("/api/templates", { query: { page_size: 200 } }) as Promise<Page<TemplateItem>>,
    [],
  );
  const segments = useAsync(() => segmentsApi.list(1, 200), []);
  useEffect(() => {
    if (!form.template_id && templates.data?.items.length)
      setForm((f) => ({ ...f, template_id: String(templates.data!.items[0].id) }));
  }, [templates.data, form.template_id]);

  // Live audience count: leads matching before suppressions (the send answers the exact number).
  const tags = useDebounced(form.tags, 400);
  const count = useAsync(
    async (signal) => {
      if (form.audience === "leads") return form.lead_ids.split(/[\s,;]+/).filter(Boolean).length;
      if (form.audience === "segment") {
        const s = segments.data?.items.find((x) => String(x.id) === form.segment_id);
        return s ? ((s as { member_count?: number }).member_count ?? null) : null;
      }
      if (form.audience === "tags") {
        if (!tags.trim()) return 0;
        return (await leadsApi.list({ page_size: 1, tag: tags.replace(/\s+/g, "") }, signal)).total;
      }
      return (await leadsApi.list({ page_size: 1 }, signal)).total;
    },
    [form.audience, form.segment_id, tags, form.lead_ids, segments.data],
    { enabled: can("lead:read") },
  );

  const fieldError = (name: string) => {
    if (!(error instanceof ApiError)) return undefined;
    for (const [f, m] of Object.entries(error.fieldErrors)) if (controlOf(f) === name) return m;
    return undefined;
  };

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const body = bodyOf(form);
      let id: number;
      if (campaign) {
        const { name, throttle_per_minute, ...rest } = body;
        const patch =
          campaign.status === "paused"
            ? { name, throttle_per_minute }
            : { name, throttle_per_minute, ...rest };
        id = (await campaignsApi.update(campaign.id, patch)).id;
      } else {
        id = (await campaignsApi.create(body)).id;
      }
      toast(campaign ? "Campaign saved" : "Draft saved: review it, send a test, then send it");
      navigate(`/campaigns/${id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save();
  };
  const paused = campaign?.status === "paused";

  return (
    <div>
      <PageHeader
        title={campaign ? `Edit ${campaign.name}` : "New campaign"}
        actions={<ButtonLink to={campaign ? `/campaigns/${campaign.id}` : "/campaigns"}>Back</ButtonLink>}
      >
        {paused
          ? "Paused: only the name and the throttle can change now."
          : "Template, sender, audience, schedule."}
      </PageHeader>
      <form onSubmit={onSubmit} noValidate className="grid gap-4 lg:grid-cols-2">
        <Card title="Message">
          <div className="grid gap-3">
            <TextField
              label="Name"
              required
              value={form.name}
              onChange={(e) => set("name", e.target.value)}
              error={fieldError("name")}
            />
            <SelectField
              label="Template"
              value={form.template_id}
              disabled={paused}
              onChange={(e) => set("template_id", e.target.value)}
              error={fieldError("template_id")}
              hint={
                templates.data && templates.data.items.length === 0 ? "Create a template first." : undefined
              }
            >
              {!templates.data && <option value="">Loading…</option>}
              {templates.data?.items.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                  {t.version ? ` (v${t.version})` : ""}
                </option>
              ))}
            </SelectField>
            <TextField
              label="From name"
              placeholder="Default from the settings"
              disabled={paused}
              value={form.from_name}
              onChange={(e) => set("from_name", e.target.value)}
              error={fieldError("from_name")}
            />
            <TextField
              label="From address"
              type="email"
              placeholder="Default from the settings"
              disabled={paused}
              value={form.from_email}
              onChange={(e) => set("from_email", e.target.value)}
              error={fieldError("from_email")}
            />
            <TextField
              label="Reply-to"
              type="email"
              placeholder="Default from the settings"
              disabled={paused}
              value={form.reply_to}
              onChange={(e) => set("reply_to", e.target.value)}
              error={fieldError("reply_to")}
            />
          </div>
        </Card>
        <Card title="Audience">
          <fieldset disabled={paused} className="grid gap-3">
            <legend className="sr-only">Who receives it</legend>
            <RadioChoices
              name="audience"
              choices={
                [
                  ["all", "All leads"],
                  ["segment", "A saved segment"],
                  ["tags", "Leads with any of these tags"],
                  ["leads", "Chosen leads (ids)"],
                ] as const
              }
              value={form.audience}
              onChange={(k) => set("audience", k)}
            />
            {form.audience === "segment" && (
              <SelectField
                label="Segment"
                value={form.segment_id}
                onChange={(e) => set("segment_id", e.target.value)}
                error={fieldError("segment_id")}
              >
                <option value="">Choose a segment</option>
                {segments.data?.items.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </SelectField>
            )}
            {form.audience === "tags" && (
              <TextField
                label="Tags"
                hint="Comma-separated"
                value={form.tags}
                onChange={(e) => set("tags", e.target.value)}
                error={fieldError("tags")}
              />
            )}
            {form.audience === "leads" && (
              <TextField
                label="Lead ids"
                hint="Comma-separated"
                value={form.lead_ids}
                onChange={(e) => set("lead_ids", e.target.value)}
                error={fieldError("lead_ids")}
              />
            )}
            {fieldError("audience") && (
              <p role="alert" className="text-sm text-red-700 dark:text-red-400">
                {fieldError("audience")}
              </p>
            )}
            <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
              {count.data === null || count.data === undefined
                ? "—"
                : `${formatNumber(count.data)} matching lead${count.data === 1 ? "" : "s"} (unsubscribed, bounced and suppressed ones are left out when sending)`}
            </p>
          </fieldset>
        </Card>
        <Card title="Schedule and pace">
          <div className="grid gap-3">
            <fieldset disabled={paused} className="grid gap-2">
              <legend className="mb-1 text-sm font-medium">When</legend>
              <RadioChoices
                name="schedule"
                choices={
                  [
                    ["now", "As soon as it is sent"],
                    ["at", "At a date and time"],
                    ["local_time", "At a time of day in each lead's time zone"],
                    ["best_time", "At each lead's best time (from past opens and replies)"],
                  ] as const
                }
                value={form.schedule}
                onChange={(k) => set("schedule", k)}
              />
              {form.schedule === "at" && (
                <TextField
                  label="Date and time (your time zone)"
                  type="datetime-local"
                  value={form.scheduled_at}
                  onChange={(e) => set("scheduled_at", e.target.value)}
                  error={fieldError("scheduled_at")}
                />
              )}
              {form.schedule === "best_time" && (
                <p className="text-sm text-slate-600 dark:text-slate-400">
                  Each lead gets its message at the hour of the week its opens and replies came most often —
                  its own history when it has enough, else everyone's — within 7 days of sending.
                </p>
              )}
              {form.schedule === "local_time" && (
                <div className="grid grid-cols-2 gap-2">
                  <TextField
                    label="Time of day"
                    type="time"
                    value={form.local_time}
                    onChange={(e) => set("local_time", e.target.value)}
                    error={fieldError("local_time")}
                  />
                  <TextField
                    label="Time zone for leads without one"
                    value={form.timezone}
                    onChange={(e) => set("timezone", e.target.value)}
                    error={fieldError("timezone")}
                  />
                </div>
              )}
            </fieldset>
            <TextField
              label="Throttle (messages per minute, 0 = no limit of its own)"
              type="number"
              min={0}
              value={form.throttle_per_minute}
              onChange={(e) => set("throttle_per_minute", e.target.value)}
              error={fieldError("throttle_per_minute")}
              hint="On top of the global send rate and the per-domain limits."
            />
          </div>
        </Card>
        <Card title="Tracking">
          <fieldset disabled={paused} className="grid gap-2">
            <legend className="sr-only">Tracking</legend>
            <Checkbox
              label="Track opens (a 1×1 image)"
              checked={form.track_opens}
              onChange={(e) => set("track_opens", e.target.checked)}
            />
            <Checkbox
              label="Track clicks (links go through Herald)"
              checked={form.track_clicks}
              onChange={(e) => set("track_clicks", e.target.checked)}
            />
          </fieldset>
        </Card>
        <div className="lg:col-span-2">
          <FormErrors
            error={error}
            placed={PLACED.concat(
              Object.keys((error as ApiError)?.fieldErrors ?? {}).filter((f) =>
                PLACED.includes(controlOf(f)),
              ),
            )}
          />
          <div className="mt-3 flex flex-wrap gap-2">
            <Button type="submit" variant="primary" busy={busy}>
              {campaign ? "Save changes" : "Save as draft"}
            </Button>
          </div>
        </div>
      </form>
    </div>
  );
}
