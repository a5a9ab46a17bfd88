import { useEffect, useState, type FormEvent } from "react";
import { adminApi, type AuditQuery } from "../../api/endpoints";
import { ApiError, messageOf } from "../../api/errors";
import type { AuditEntry, AuditVerify } from "../../api/models";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { TextField } from "../ui/Field";
import { EmptyState, ErrorState, LoadingState } from "../ui/States";
import { useToast } from "../ui/Toast";
import { formatDateTime } from "../../lib/format";

interface AuditFilter {
  action: string;
  user_id: string;
  resource: string;
  from: string;
  to: string;
}
const empty: AuditFilter = { action: "", user_id: "", resource: "", from: "", to: "" };

export function auditQuery(f: AuditFilter): AuditQuery {
  const q: AuditQuery = {};
  if (f.action.trim()) q.action = f.action.trim().toUpperCase();
  if (f.user_id.trim()) q.user_id = f.user_id.trim();
  if (f.resource.trim()) q.resource = f.resource.trim();
  if (f.from) q.from = f.from;
  if (f.to) q.to = f.to;
  return q;
}

/** Recent audit entries with filters, cursor paging, CSV export and chain verification. */
export function AuditPanel({ limit, title = "Audit log" }: { limit: number; title?: string }) {
  const toast = useToast();
  const [draft, setDraft] = useState<AuditFilter>(empty);
  const [filter, setFilter] = useState<AuditFilter>(empty);
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [verifying, setVerifying] = useState(false);

  const load = async (cursor?: number) => {
    setLoading(true);
    try {
      const page = await adminApi.audit({ ...auditQuery(filter), limit, cursor });
      setItems((prev) => (cursor && prev ? [...prev, ...page.items] : page.items));
      setNext(page.next_cursor);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filter, limit]);

  const fe = error instanceof ApiError ? error.fieldErrors : {};
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter(draft);
  };

  return (
    <Card
      title={title}
      actions={
        <>
          <Button
            size="sm"
            busy={verifying}
            onClick={async () => {
              setVerifying(true);
              try {
                setVerify(await adminApi.verifyAudit());
              } catch (e) {
                toast(messageOf(e), "error");
              } finally {
                setVerifying(false);
              }
            }}
          >
            Verify chain
          </Button>
          <Button
            size="sm"
            onClick={() => adminApi.auditCsv(auditQuery(filter)).catch((e) => toast(messageOf(e), "error"))}
          >
            Export CSV
          </Button>
        </>
      }
    >
      {verify && (
        <p
          role="status"
          data-testid="audit-verify"
          className={`mb-3 rounded-md p-2 text-sm ${verify.valid ? "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100" : "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100"}`}
        >
          {verify.valid
            ? `The chain is intact: ${verify.checked.toLocaleString("en")} entries checked.`
            : `The chain is broken at entry #${verify.first_broken_id} (${verify.checked.toLocaleString("en")} checked).`}
        </p>
      )}
      <form
        onSubmit={apply}
        aria-label="Audit filters"
        className="mb-3 grid gap-2 sm:grid-cols-3 lg:grid-cols-6"
      >
        <TextField
          label="Action"
          placeholder="e.g. USER_UPDATED"
          value={draft.action}
          error={fe.action}
          onChange={(e) => setDraft({ ...draft, action: e.target.value })}
        />
        <TextField
          label="User id"
          inputMode="numeric"
          value={draft.user_id}
          error={fe.user_id}
          onChange={(e) => setDraft({ ...draft, user_id: e.target.value })}
        />
        <TextField
          label="Resource"
          placeholder="e.g. user/42"
          value={draft.resource}
          error={fe.resource}
          onChange={(e) => setDraft({ ...draft, resource: e.target.value })}
        />
        <TextField
          label="From"
          type="date"
          value={draft.from}
          error={fe.from}
          onChange={(e) => setDraft({ ...draft, from: e.target.value })}
        />
        <TextField
          label="Before"
          type="date"
          value={draft.to}
          error={fe.to}
          onChange={(e) => setDraft({ ...draft, to: e.target.value })}
        />
        <div className="flex items-end gap-2">
          <Button type="submit" variant="primary">
            Filter
          </Button>
          <Button
            onClick={() => {
              setDraft(empty);
              setFilter(empty);
            }}
          >
            Clear
          </Button>
        </div>
      </form>
      {error && !Object.keys(fe).length ? (
        <ErrorState error={error} onRetry={() => void load()} />
      ) : !items ? (
        <LoadingState />
      ) : items.length === 0 ? (
        <EmptyState title="No audit entry matches" />
      ) : (
        <>
          <div role="region" aria-label="Audit entries (scrollable)" tabIndex={0} className="overflow-x-auto">
            <table className="min-w-full text-sm" data-testid="audit-table">
              <caption className="sr-only">Audit entries, newest first</caption>
              <thead>
                <tr className="border-b border-slate-200 text-left dark:border-slate-700">
                  {["When", "Actor", "Action", "Resource", "IP", "Outcome"].map((h) => (
                    <th key={h} scope="col" className="px-2 py-2 font-semibold">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {items.map((e) => (
                  <tr key={e.id}>
                    <td className="px-2 py-1.5 whitespace-nowrap">{formatDateTime(e.created_at)}</td>
                    <td className="max-w-[14rem] truncate px-2 py-1.5">
                      {e.actor || (e.user_id ? `#${e.user_id}` : "—")}
                    </td>
                    <td className="px-2 py-1.5 font-mono text-xs">{e.action}</td>
                    <td className="px-2 py-1.5 font-mono text-xs">{e.resource || "—"}</td>
                    <td className="px-2 py-1.5 font-mono text-xs">{e.ip}</td>
                    <td className="px-2 py-1.5">
                      {e.success ? (
                        <Badge tone="green">ok</Badge>
                      ) : (
                        <span title={e.error}>
                          <Badge tone="red">{e.error ? "error" : "denied"}</Badge>
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {next !== null && (
            <div className="mt-3">
              <Button size="sm" busy={loading} onClick={() => void load(next)}>
                Load older entries
              </Button>
            </div>
          )}
        </>
      )}
    </Card>
  );
}
