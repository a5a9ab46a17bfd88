import { useState, type FormEvent } from "react";
import { LEAD_STATUSES } from "../../api/models";
import { humanize } from "../../lib/format";
import { Button } from "../ui/Button";
import { Checkbox, TextField } from "../ui/Field";
import { emptyFilters, splitList, validateFilters, type LeadFilters } from "./filters";

/** The filter form; applies on submit so a 1M-lead table is not queried on each keystroke. */
export function FilterPanel({
  value,
  onApply,
  serverErrors,
}: {
  value: LeadFilters;
  onApply: (f: LeadFilters) => void;
  serverErrors?: Record<string, string>;
}) {
  const [draft, setDraft] = useState<LeadFilters>(value);
  const [lists, setLists] = useState({
    tag: value.tag.join(", "),
    not_tag: value.not_tag.join(", "),
    country: value.country.join(", "),
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const shown = { ...serverErrors, ...errors };

  const set = <K extends keyof LeadFilters>(k: K, v: LeadFilters[K]) => setDraft((d) => ({ ...d, [k]: v }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: LeadFilters = {
      ...draft,
      tag: splitList(lists.tag),
      not_tag: splitList(lists.not_tag),
      country: splitList(lists.country),
      custom: draft.custom.filter((c) => c.key.trim()),
    };
    const problems = validateFilters(next);
    setErrors(problems);
    if (Object.keys(problems).length === 0) onApply(next);
  };

  const clear = () => {
    const f = { ...emptyFilters(), q: value.q, segment_id: value.segment_id };
    setDraft(f);
    setLists({ tag: "", not_tag: "", country: "" });
    setErrors({});
    onApply(f);
  };

  return (
    <form
      onSubmit={submit}
      aria-label="Lead filters"
      className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-800 dark:text-slate-200">Status</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {LEAD_STATUSES.map((s) => (
            <Checkbox
              key={s}
              label={humanize(s)}
              checked={draft.status.includes(s)}
              onChange={(e) =>
                set("status", e.target.checked ? [...draft.status, s] : draft.status.filter((x) => x !== s))
              }
            />
          ))}
        </div>
        {shown.status && <p className="mt-1 text-sm text-red-700 dark:text-red-400">{shown.status}</p>}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <TextField
          label="Has any tag"
          hint="Comma-separated"
          value={lists.tag}
          error={shown.tag}
          onChange={(e) => setLists({ ...lists, tag: e.target.value })}
        />
        <TextField
          label="Has none of the tags"
          hint="Comma-separated"
          value={lists.not_tag}
          error={shown.not_tag}
          onChange={(e) => setLists({ ...lists, not_tag: e.target.value })}
        />
        <TextField
          label="Country"
          hint="Comma-separated"
          value={lists.country}
          error={shown.country}
          onChange={(e) => setLists({ ...lists, country: e.target.value })}
        />
        <TextField
          label="Source"
          value={draft.source}
          error={shown.source}
          onChange={(e) => set("source", e.target.value)}
        />
        <TextField
          label="Owner"
          hint="A user id, or none"
          value={draft.owner_id}
          error={shown.owner_id}
          onChange={(e) => set("owner_id", e.target.value)}
        />
        <div className="grid grid-cols-2 gap-2">
          <TextField
            label="Score from"
            inputMode="numeric"
            value={draft.score_min}
            error={shown.score_min}
            onChange={(e) => set("score_min", e.target.value)}
          />
          <TextField
            label="Score to"
            inputMode="numeric"
            value={draft.score_max}
            error={shown.score_max}
            onChange={(e) => set("score_max", e.target.value)}
          />
        </div>
        <TextField
          label="Created from"
          type="date"
          value={draft.created_from.slice(0, 10)}
          error={shown.created_from}
          onChange={(e) => set("created_from", e.target.value)}
        />
        <TextField
          label="Created before"
          type="date"
          value={draft.created_to.slice(0, 10)}
          error={shown.created_to}
          onChange={(e) => set("created_to", e.target.value)}
        />
      </div>
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-800 dark:text-slate-200">Custom fields</legend>
        <div className="flex flex-col gap-2">
          {draft.custom.map((c, i) => (
            <div key={i} className="flex flex-wrap items-end gap-2">
              <TextField
                label="Field"
                value={c.key}
                error={shown[`cf.${c.key}`]}
                className="w-40"
                onChange={(e) =>
                  set(
                    "custom",
                    draft.custom.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)),
                  )
                }
              />
              <TextField
                label="equals"
                value={c.value}
                className="w-48"
                onChange={(e) =>
                  set(
                    "custom",
                    draft.custom.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)),
                  )
                }
              />
              <Button
                size="sm"
                variant="ghost"
                onClick={() =>
                  set(
                    "custom",
                    draft.custom.filter((_, j) => j !== i),
                  )
                }
                aria-label={`Remove the condition on ${c.key || "this field"}`}
              >
                Remove
              </Button>
            </div>
          ))}
          <div>
            <Button size="sm" onClick={() => set("custom", [...draft.custom, { key: "", value: "" }])}>
              Add a custom field condition
            </Button>
          </div>
        </div>
      </fieldset>
      <div className="flex gap-2">
        <Button type="submit" variant="primary">
          Apply filters
        </Button>
        <Button onClick={clear}>Clear</Button>
      </div>
    </form>
  );
}
