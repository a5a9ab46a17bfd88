import { useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { leadsApi } from "../../api/endpoints";
import { ApiError, messageOf } from "../../api/errors";
import type { Lead } from "../../api/models";
import { useAuth } from "../../auth/AuthContext";
import { describeReason } from "../../components/Assistant/advice";
import { LeadForm } from "../../components/Leads/LeadForm";
import { StatusBadge } from "../../components/ui/Badge";
import { Button, ButtonLink } from "../../components/ui/Button";
import { Card, PageHeader } from "../../components/ui/Card";
import { Dialog } from "../../components/ui/Dialog";
import { TextField } from "../../components/ui/Field";
import { ErrorState, InlineError, LoadingState } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { formatDateTime } from "../../lib/format";
import { useAsync } from "../../lib/hooks";

const FIELDS: [keyof Lead, string][] = [
  ["first_name", "First name"],
  ["last_name", "Last name"],
  ["company", "Company"],
  ["title", "Title"],
  ["phone", "Phone"],
  ["website", "Website"],
  ["country", "Country"],
  ["timezone", "Time zone"],
  ["score", "Score"],
  ["owner_id", "Owner (user id)"],
  ["source", "Source"],
  ["created_at", "Created"],
  ["updated_at", "Updated"],
  ["last_contacted_at", "Last contacted"],
  ["last_activity_at", "Last activity"],
];

function show(lead: Lead, key: keyof Lead) {
  const v = lead[key];
  if (v === null || v === undefined || v === "") return "—";
  if (typeof key === "string" && key.endsWith("_at")) return formatDateTime(String(v));
  return String(v);
}

export function LeadDetailPage() {
  const { id } = useParams();
  const leadId = Number(id);
  const { can } = useAuth();
  const toast = useToast();
  const navigate = useNavigate();
  const lead = useAsync(() => leadsApi.get(leadId), [leadId]);
  const [editing, setEditing] = useState(false);
  const [danger, setDanger] = useState<"erase" | "delete" | null>(null);

  if (!Number.isInteger(leadId) || leadId < 1)
    return <ErrorState error={new Error("This is not a lead address.")} title="No such lead" />;
  if (lead.error)
    return (
      <div>
        <PageHeader title="Lead" actions={<ButtonLink to="/leads">Back to leads</ButtonLink>} />
        <ErrorState
          error={lead.error}
          title={lead.error instanceof ApiError && lead.error.status === 404 ? "No such lead" : undefined}
          onRetry={lead.reload}
        />
      </div>
    );
  if (!lead.data) return <LoadingState label="Loading the lead" />;
  const l = lead.data;
  const name = [l.first_name, l.last_name].filter(Boolean).join(" ");

  return (
    <div>
      <PageHeader
        title={name || l.email}
        actions={
          <>
            <ButtonLink to="/leads">Back to leads</ButtonLink>
            {can("lead:export") && (
              <Button onClick={() => leadsApi.gdprExport(l.id).catch((e) => toast(messageOf(e), "error"))}>
                GDPR export
              </Button>
            )}
            {can("lead:delete") && (
              <Button variant="danger" onClick={() => setDanger("erase")}>
                GDPR erase
              </Button>
            )}
            {can("lead:delete") && (
              <Button variant="danger" onClick={() => setDanger("delete")}>
                Delete
              </Button>
            )}
            {can("lead:write") && (
              <Button variant="primary" onClick={() => setEditing(true)}>
                Edit
              </Button>
            )}
          </>
        }
      >
        <span className="inline-flex items-center gap-2">
          {l.email} <StatusBadge status={l.status} />
        </span>
      </PageHeader>

      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="Details" className="lg:col-span-2">
          <dl className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-2">
            {FIELDS.map(([k, label]) => (
              <div key={k}>
                <dt className="text-xs font-medium text-slate-600 uppercase dark:text-slate-400">{label}</dt>
                <dd className="mt-0.5 break-words">{show(l, k)}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <div className="flex flex-col gap-4">
          <Card title="Score">
            <p className="text-2xl font-semibold tabular-nums">{l.score}</p>
            {l.score_reasons?.length ? (
              <ul aria-label="Score reasons" className="mt-2 flex flex-col gap-1 text-sm">
                {l.score_reasons.map((r) => (
                  <li key={r.feature}>{describeReason(r)}</li>
                ))}
              </ul>
            ) : (
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                No reasons yet: score the leads on the AI Assistant page.
              </p>
            )}
          </Card>
          <Card title="Tags">
            {l.tags.length ? (
              <ul className="flex flex-wrap gap-1.5">
                {l.tags.map((t) => (
                  <li key={t} className="rounded bg-slate-100 px-2 py-0.5 text-sm dark:bg-slate-800">
                    {t}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-600 dark:text-slate-400">No tags.</p>
            )}
          </Card>
          <Card title="Custom fields">
            {Object.keys(l.custom_fields).length ? (
              <dl className="grid gap-2">
                {Object.entries(l.custom_fields).map(([k, v]) => (
                  <div key={k}>
                    <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">{k}</dt>
                    <dd className="break-words">{typeof v === "object" ? JSON.stringify(v) : String(v)}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="text-sm text-slate-600 dark:text-slate-400">No custom fields.</p>
            )}
          </Card>
        </div>
      </div>

      <Dialog open={editing} onClose={() => setEditing(false)} title={`Edit ${l.email}`} wide>
        <LeadForm
          lead={l}
          onCancel={() => setEditing(false)}
          onSubmit={async (body) => {
            await leadsApi.update(l.id, body);
            setEditing(false);
            toast("Saved");
            lead.reload();
          }}
        />
      </Dialog>

      {danger && (
        <ConfirmByTyping
          open
          title={danger === "erase" ? "Erase this lead's personal data" : "Delete this lead"}
          explanation={
            danger === "erase"
              ? "Erasing removes everything Herald holds about this person and suppresses the address for good (only its hash is kept). This cannot be undone."
              : "Deleting removes the lead permanently. The address is not suppressed: a later import can add it again."
          }
          expected={l.email}
          action={danger === "erase" ? "Erase" : "Delete"}
          onClose={() => setDanger(null)}
          onConfirm={async () => {
            if (danger === "erase") await leadsApi.gdprErase(l.id);
            else await leadsApi.remove(l.id);
            toast(danger === "erase" ? "Erased and suppressed" : "Deleted");
            navigate("/leads");
          }}
        />
      )}
    </div>
  );
}

export function ConfirmByTyping({
  open,
  title,
  explanation,
  expected,
  action,
  onClose,
  onConfirm,
}: {
  open: boolean;
  title: string;
  explanation: string;
  expected: string;
  action: string;
  onClose: () => void;
  onConfirm: () => Promise<void>;
}) {
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <Dialog open={open} onClose={onClose} title={title}>
      <form
        className="flex flex-col gap-4"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            await onConfirm();
          } catch (err) {
            setError(err);
            setBusy(false);
          }
        }}
      >
        <p className="text-sm">{explanation}</p>
        <TextField
          label={`Type ${expected} to confirm`}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
        />
        <InlineError error={error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="danger" busy={busy} disabled={typed.trim() !== expected}>
            {action}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
