import { useEffect, useState } from "react";
import { leadsApi, templatesApi } from "../../api/endpoints";
import { ApiError } from "../../api/errors";
import type { Lead, Template, TemplateTestResult } from "../../api/models";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { SelectField, TextField } from "../ui/Field";
import { FormErrors } from "../ui/States";
import { addressError, parseAddresses } from "./testSend";

/**
 * "Send test": the saved template, rendered for a chosen lead (or the preview's sample lead),
 * sent as a "[Test]" message to up to 10 addresses typed here — never to the lead.
 */
export function TestSendDialog({
  open,
  template,
  unsaved,
  onClose,
}: {
  open: boolean;
  template: Template;
  unsaved: boolean;
  onClose: () => void;
}) {
  const [emails, setEmails] = useState("");
  const [leadId, setLeadId] = useState("");
  const [leads, setLeads] = useState<Lead[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<string[]>([]);
  const [results, setResults] = useState<TemplateTestResult[]>();

  useEffect(() => {
    if (!open) return;
    const ctrl = new AbortController();
    leadsApi
      .list({ page_size: 50 }, ctrl.signal)
      .then((p) => setLeads(p.items))
      .catch(() => setLeads([]));
    return () => ctrl.abort();
  }, [open]);

  const fe = error instanceof ApiError ? error.fieldErrors : {};
  const toError = addressError(fe, sent);
  const send = async () => {
    const list = parseAddresses(emails);
    setSent(list);
    setBusy(true);
    setError(null);
    setResults(undefined);
    try {
      const answer = await templatesApi.test(template.id, list, leadId ? Number(leadId) : undefined);
      setResults(answer.results);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const placed = ["emails", "lead_id", ...Object.keys(fe).filter((f) => f.startsWith("emails["))];

  return (
    <Dialog
      open={open}
      onClose={() => {
        setResults(undefined);
        setError(null);
        onClose();
      }}
      title="Send a test"
      footer={
        <Button variant="primary" busy={busy} onClick={() => void send()}>
          Send test
        </Button>
      }
    >
      <form
        className="flex flex-col gap-3"
        noValidate
        aria-label="Send a test"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Sends version {template.version} as saved, with “[Test]” before the subject.
          {unsaved && " Your unsaved changes are not in it: save first to test them."}
        </p>
        <FormErrors error={error} placed={placed} />
        <TextField
          label="To (up to 10 addresses, comma-separated)"
          value={emails}
          error={toError}
          autoComplete="off"
          onChange={(e) => setEmails(e.target.value)}
          hint="Only these addresses get it, never the lead."
        />
        <SelectField
          label="Render as"
          value={leadId}
          error={fe.lead_id}
          onChange={(e) => setLeadId(e.target.value)}
        >
          <option value="">Sample lead (as the preview)</option>
          {leads.map((l) => (
            <option key={l.id} value={String(l.id)}>
              {[l.first_name, l.last_name].filter(Boolean).join(" ") || l.email} — {l.email}
            </option>
          ))}
        </SelectField>
      </form>
      {results && (
        <ul className="mt-3 space-y-1 text-sm" aria-live="polite" aria-label="Test results">
          {results.map((r) => (
            <li key={r.email}>
              <span className="font-mono">{r.email}</span>: {r.delivered ? "delivered" : "not delivered"} —{" "}
              {r.detail}
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
