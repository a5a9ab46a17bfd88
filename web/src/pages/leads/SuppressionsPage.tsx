import { useState } from "react";
import { leadsApi } from "../../api/endpoints";
import { ApiError, messageOf } from "../../api/errors";
import { useAuth } from "../../auth/AuthContext";
import { Button, ButtonLink } from "../../components/ui/Button";
import { PageHeader } from "../../components/ui/Card";
import { Dialog } from "../../components/ui/Dialog";
import { fieldClass, inputClass, SelectField, TextField } from "../../components/ui/Field";
import { EmptyState, ErrorState, FormErrors, LoadingState } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { formatDateTime, formatNumber } from "../../lib/format";
import { useAsync, useDebounced } from "../../lib/hooks";

const REASONS = ["manual", "unsubscribe", "bounce", "complaint", "gdpr"];

export function SuppressionsPage() {
  const { can } = useAuth();
  const toast = useToast();
  const [kind, setKind] = useState("");
  const [reason, setReason] = useState("");
  const [q, setQ] = useState("");
  const query = useDebounced(q, 300);
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const list = useAsync(
    () =>
      leadsApi.suppressions({
        kind: kind || undefined,
        reason: reason || undefined,
        q: query || undefined,
        page,
        page_size: 50,
      }),
    [kind, reason, query, page],
  );
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / 50)) : 1;

  return (
    <div>
      <PageHeader
        title="Suppressions"
        actions={
          <>
            <ButtonLink to="/leads">Back to leads</ButtonLink>
            {can("lead:write") && (
              <Button variant="primary" onClick={() => setAdding(true)}>
                Suppress an address
              </Button>
            )}
          </>
        }
      >
        Addresses and domains Herald never mails.
      </PageHeader>
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <label className="sr-only" htmlFor="sq">
          Search suppressions
        </label>
        <input
          id="sq"
          type="search"
          className={`${inputClass} max-w-xs`}
          placeholder="Search"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setPage(1);
          }}
        />
        <label className="sr-only" htmlFor="skind">
          Kind
        </label>
        <select
          id="skind"
          className={fieldClass}
          value={kind}
          onChange={(e) => {
            setKind(e.target.value);
            setPage(1);
          }}
        >
          <option value="">Addresses and domains</option>
          <option value="email">Addresses</option>
          <option value="domain">Domains</option>
        </select>
        <label className="sr-only" htmlFor="sreason">
          Reason
        </label>
        <select
          id="sreason"
          className={fieldClass}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            setPage(1);
          }}
        >
          <option value="">Any reason</option>
          {REASONS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <LoadingState />
      ) : list.data.items.length === 0 ? (
        <EmptyState title="Nothing is suppressed">
          Unsubscribes, bounces and erased leads appear here.
        </EmptyState>
      ) : (
        <div
          role="region"
          aria-label="Suppressions (scrollable)"
          tabIndex={0}
          className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
        >
          <table className="min-w-full text-sm">
            <caption className="sr-only">Suppressions</caption>
            <thead className="bg-slate-50 dark:bg-slate-800/60">
              <tr>
                {["Value", "Kind", "Reason", "Note", "Since", ""].map((h, i) => (
                  <th key={i} scope="col" className="px-3 py-2 text-left font-semibold">
                    {h || <span className="sr-only">Actions</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {list.data.items.map((s) => (
                <tr key={s.id}>
                  <td className="px-3 py-2 font-mono">
                    {s.value ?? <span title={s.value_hash}>(erased; hash only)</span>}
                  </td>
                  <td className="px-3 py-2">{s.kind}</td>
                  <td className="px-3 py-2">{s.reason}</td>
                  <td className="px-3 py-2">{s.note || "—"}</td>
                  <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(s.created_at)}</td>
                  <td className="px-3 py-2 text-right">
                    {can("lead:write") && s.reason !== "gdpr" && (
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Lift the suppression of ${s.value ?? "this entry"}`}
                        onClick={async () => {
                          if (!window.confirm(`Lift the suppression of ${s.value}?`)) return;
                          try {
                            await leadsApi.deleteSuppression(s.id);
                            toast("Suppression lifted");
                            list.reload();
                          } catch (e) {
                            toast(messageOf(e), "error");
                          }
                        }}
                      >
                        Lift
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && list.data.total > 50 && (
        <nav aria-label="Pages" className="mt-3 flex items-center gap-2 text-sm">
          <Button size="sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous
          </Button>
          <span>
            Page {page} of {formatNumber(pages)}
          </span>
          <Button size="sm" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Next
          </Button>
        </nav>
      )}
      <AddSuppression
        open={adding}
        onClose={() => setAdding(false)}
        onAdded={() => {
          setAdding(false);
          toast("Suppressed");
          list.reload();
        }}
      />
    </div>
  );
}

function AddSuppression({
  open,
  onClose,
  onAdded,
}: {
  open: boolean;
  onClose: () => void;
  onAdded: () => void;
}) {
  const [kind, setKind] = useState<"email" | "domain">("email");
  const [value, setValue] = useState("");
  const [reason, setReason] = useState("manual");
  const [note, setNote] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fe = error instanceof ApiError ? error.fieldErrors : {};
  return (
    <Dialog open={open} onClose={onClose} title="Suppress an address or a domain">
      <form
        className="flex flex-col gap-4"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            await leadsApi.createSuppression({ [kind]: value.trim(), reason, note });
            setValue("");
            setNote("");
            onAdded();
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <FormErrors error={error} placed={["email", "domain", "reason", "note"]} />
        <SelectField
          label="Kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as "email" | "domain")}
        >
          <option value="email">An address</option>
          <option value="domain">A whole domain</option>
        </SelectField>
        <TextField
          label={kind === "email" ? "Email address" : "Domain"}
          value={value}
          error={fe[kind]}
          onChange={(e) => setValue(e.target.value)}
        />
        <SelectField
          label="Reason"
          value={reason}
          error={fe.reason}
          onChange={(e) => setReason(e.target.value)}
        >
          {REASONS.filter((r) => r !== "gdpr").map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
        <TextField label="Note" value={note} error={fe.note} onChange={(e) => setNote(e.target.value)} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Suppress
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
