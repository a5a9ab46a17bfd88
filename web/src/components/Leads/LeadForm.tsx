import { useState, type FormEvent } from "react";
import { ApiError } from "../../api/errors";
import { LEAD_STATUSES, type Lead } from "../../api/models";
import { humanize } from "../../lib/format";
import { Button } from "../ui/Button";
import { SelectField, TextField } from "../ui/Field";
import { FormErrors } from "../ui/States";

const TEXT_FIELDS = [
  ["email", "Email"],
  ["first_name", "First name"],
  ["last_name", "Last name"],
  ["company", "Company"],
  ["title", "Title"],
  ["phone", "Phone"],
  ["website", "Website"],
  ["country", "Country"],
  ["timezone", "Time zone"],
] as const;

type Draft = Record<(typeof TEXT_FIELDS)[number][0] | "status" | "score" | "owner_id" | "tags", string> & {
  custom: { key: string; value: string }[];
};

function toDraft(l?: Lead): Draft {
  return {
    email: l?.email ?? "",
    first_name: l?.first_name ?? "",
    last_name: l?.last_name ?? "",
    company: l?.company ?? "",
    title: l?.title ?? "",
    phone: l?.phone ?? "",
    website: l?.website ?? "",
    country: l?.country ?? "",
    timezone: l?.timezone ?? "",
    status: l?.status ?? "new",
    score: String(l?.score ?? 0),
    owner_id: l?.owner_id ? String(l.owner_id) : "",
    tags: (l?.tags ?? []).join(", "),
    custom: Object.entries(l?.custom_fields ?? {}).map(([key, value]) => ({
      key,
      value: String(value ?? ""),
    })),
  };
}

/** The request body: everything for a new lead; only what changed for an existing one. */
export function leadBody(draft: Draft, original?: Lead): Record<string, unknown> {
  const full: Record<string, unknown> = {};
  for (const [k] of TEXT_FIELDS) full[k] = draft[k].trim();
  full.status = draft.status;
  full.score = draft.score.trim() === "" ? 0 : Number(draft.score);
  full.owner_id = draft.owner_id.trim() === "" ? null : Number(draft.owner_id);
  full.tags = draft.tags
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const cf: Record<string, string | null> = {};
  for (const c of draft.custom) if (c.key.trim()) cf[c.key.trim()] = c.value;
  if (!original) {
    if (Object.keys(cf).length) full.custom_fields = cf;
    for (const k of Object.keys(full)) if (full[k] === "" || full[k] === null) delete full[k];
    return full;
  }
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(full)) {
    const before = (original as unknown as Record<string, unknown>)[k];
    if (JSON.stringify(before ?? (k === "owner_id" ? null : "")) !== JSON.stringify(v))
      patch[k] = v === "" ? null : v;
  }
  // custom_fields merges: send changed keys, and null for removed ones.
  const changed: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(cf))
    if (String(original.custom_fields?.[k] ?? "") !== v) changed[k] = v;
  for (const k of Object.keys(original.custom_fields ?? {})) if (!(k in cf)) changed[k] = null;
  if (Object.keys(changed).length) patch.custom_fields = changed;
  return patch;
}

export function LeadForm({
  lead,
  onSubmit,
  onCancel,
}: {
  lead?: Lead;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(lead));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fe = error instanceof ApiError ? error.fieldErrors : {};
  const set = (k: keyof Draft, v: string) => setDraft((d) => ({ ...d, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = leadBody(draft, lead);
    if (lead && Object.keys(body).length === 0) {
      onCancel();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(body);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const placed = [...TEXT_FIELDS.map(([k]) => k), "status", "score", "owner_id", "tags", "custom_fields"];
  return (
    <form
      onSubmit={submit}
      noValidate
      className="flex flex-col gap-4"
      aria-label={lead ? "Edit lead" : "New lead"}
    >
      <FormErrors error={error} placed={placed} />
      <div className="grid gap-4 sm:grid-cols-2">
        {TEXT_FIELDS.map(([k, label]) => (
          <TextField
            key={k}
            name={k}
            label={label}
            type={k === "email" ? "email" : "text"}
            required={k === "email"}
            value={draft[k]}
            error={fe[k]}
            onChange={(e) => set(k, e.target.value)}
          />
        ))}
        <SelectField
          label="Status"
          name="status"
          value={draft.status}
          error={fe.status}
          onChange={(e) => set("status", e.target.value)}
        >
          {LEAD_STATUSES.map((s) => (
            <option key={s} value={s}>
              {humanize(s)}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Score (0-100)"
          name="score"
          inputMode="numeric"
          value={draft.score}
          error={fe.score}
          onChange={(e) => set("score", e.target.value)}
        />
        <TextField
          label="Owner (user id)"
          name="owner_id"
          inputMode="numeric"
          value={draft.owner_id}
          error={fe.owner_id}
          onChange={(e) => set("owner_id", e.target.value)}
        />
        <TextField
          label="Tags"
          name="tags"
          hint="Comma-separated"
          value={draft.tags}
          error={fe.tags}
          onChange={(e) => set("tags", e.target.value)}
        />
      </div>
      <fieldset>
        <legend className="mb-1 text-sm font-medium">Custom fields</legend>
        {fe.custom_fields && (
          <p className="mb-1 text-sm text-red-700 dark:text-red-400" role="alert">
            {fe.custom_fields}
          </p>
        )}
        <div className="flex flex-col gap-2">
          {draft.custom.map((c, i) => (
            <div key={i} className="flex flex-wrap items-end gap-2">
              <TextField
                label="Name"
                value={c.key}
                className="w-40"
                onChange={(e) =>
                  setDraft((d) => ({
                    ...d,
                    custom: d.custom.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)),
                  }))
                }
              />
              <TextField
                label="Value"
                value={c.value}
                className="min-w-48 flex-1"
                onChange={(e) =>
                  setDraft((d) => ({
                    ...d,
                    custom: d.custom.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)),
                  }))
                }
              />
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Remove custom field ${c.key}`}
                onClick={() => setDraft((d) => ({ ...d, custom: d.custom.filter((_, j) => j !== i) }))}
              >
                Remove
              </Button>
            </div>
          ))}
          <div>
            <Button
              size="sm"
              onClick={() => setDraft((d) => ({ ...d, custom: [...d.custom, { key: "", value: "" }] }))}
            >
              Add a custom field
            </Button>
          </div>
        </div>
      </fieldset>
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={busy}>
          {lead ? "Save changes" : "Create lead"}
        </Button>
      </div>
    </form>
  );
}
