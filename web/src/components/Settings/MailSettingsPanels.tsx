// The administrator's mail settings: sender identity, tracking defaults, per-recipient-domain
// limits and the SMTP transport (read-only, with a test send). Each panel saves its own part
// with PATCH /api/settings and shows the server's field errors beside their fields.
import { useState, type FormEvent } from "react";
import { settingsApi } from "../../api/endpoints";
import { ApiError } from "../../api/errors";
import type { MailSettings, SmtpTestResult } from "../../api/models";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Checkbox, TextField } from "../ui/Field";
import { FormErrors } from "../ui/States";
import { useToast } from "../ui/Toast";
import { rowErrors, toLimits, toRows, type LimitRow } from "./limits";

type Saved = (s: MailSettings) => void;

function useSave(onSaved: Saved) {
  const toast = useToast();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const save = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      onSaved(await settingsApi.update(body));
      toast("Settings saved");
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const fe = error instanceof ApiError ? error.fieldErrors : {};
  return { save, error, busy, fe };
}

export function SenderPanel({ settings, onSaved }: { settings: MailSettings; onSaved: Saved }) {
  const [s, setS] = useState(settings.sender);
  const { save, error, busy, fe } = useSave(onSaved);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save({ sender: s });
  };
  return (
    <Card title="Sender identity">
      <form
        onSubmit={submit}
        className="flex max-w-lg flex-col gap-4"
        noValidate
        aria-label="Sender identity"
      >
        <p className="text-sm text-slate-600 dark:text-slate-400">
          The From and Reply-To of campaigns unless a campaign sets its own.
        </p>
        <FormErrors error={error} placed={["sender.from_name", "sender.from_email", "sender.reply_to"]} />
        <TextField
          label="From name"
          value={s.from_name}
          error={fe["sender.from_name"]}
          onChange={(e) => setS({ ...s, from_name: e.target.value })}
        />
        <TextField
          label="From address"
          type="email"
          value={s.from_email}
          error={fe["sender.from_email"]}
          hint="Sign its domain with a DKIM key (DKIM tab)."
          onChange={(e) => setS({ ...s, from_email: e.target.value })}
        />
        <TextField
          label="Reply-To (optional)"
          type="email"
          value={s.reply_to}
          error={fe["sender.reply_to"]}
          onChange={(e) => setS({ ...s, reply_to: e.target.value })}
        />
        <div>
          <Button type="submit" variant="primary" busy={busy}>
            Save sender
          </Button>
        </div>
      </form>
    </Card>
  );
}

export function TrackingPanel({ settings, onSaved }: { settings: MailSettings; onSaved: Saved }) {
  const [t, setT] = useState(settings.tracking);
  const { save, error, busy } = useSave(onSaved);
  return (
    <Card title="Tracking defaults">
      <form
        className="flex flex-col gap-3"
        aria-label="Tracking defaults"
        onSubmit={(e) => {
          e.preventDefault();
          void save({ tracking: t });
        }}
      >
        <p className="text-sm text-slate-600 dark:text-slate-400">
          What a new campaign starts with; each campaign can change it.
        </p>
        <FormErrors error={error} placed={[]} />
        <Checkbox
          label="Track opens (a 1×1 image)"
          checked={t.track_opens}
          onChange={(e) => setT({ ...t, track_opens: e.target.checked })}
        />
        <Checkbox
          label="Track clicks (links go through Herald)"
          checked={t.track_clicks}
          onChange={(e) => setT({ ...t, track_clicks: e.target.checked })}
        />
        <div>
          <Button type="submit" variant="primary" busy={busy}>
            Save tracking
          </Button>
        </div>
      </form>
    </Card>
  );
}

export function DomainLimitsPanel({ settings, onSaved }: { settings: MailSettings; onSaved: Saved }) {
  const [rows, setRows] = useState<LimitRow[]>(() => toRows(settings.domain_limits));
  const [sent, setSent] = useState<number[]>([]);
  const { save, error, busy, fe } = useSave((s) => {
    setRows(toRows(s.domain_limits));
    onSaved(s);
  });
  const perRow = rowErrors(fe, sent);
  const set = (i: number, patch: Partial<LimitRow>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Card title="Per-domain limits">
      <form
        className="flex flex-col gap-3"
        aria-label="Per-domain limits"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const { limits, index } = toLimits(rows);
          setSent(index);
          void save({ domain_limits: limits });
        }}
      >
        <p className="text-sm text-slate-600 dark:text-slate-400">
          At most this many messages a minute to a recipient domain, across all workers and campaigns.
        </p>
        <FormErrors error={error} placed={Object.keys(fe).filter((f) => f.startsWith("domain_limits["))} />
        {rows.length === 0 && (
          <p className="text-sm">No limits: every domain gets mail as fast as the rate allows.</p>
        )}
        {rows.map((r, i) => (
          <div key={i} className="flex flex-wrap items-start gap-2">
            <TextField
              label={`Domain ${i + 1}`}
              value={r.domain}
              placeholder="gmail.com"
              error={perRow[i]?.domain}
              onChange={(e) => set(i, { domain: e.target.value })}
            />
            <TextField
              label="Per minute"
              inputMode="numeric"
              value={r.per_minute}
              error={perRow[i]?.per_minute}
              className="w-32"
              onChange={(e) => set(i, { per_minute: e.target.value })}
            />
            <Button
              size="sm"
              variant="ghost"
              className="mt-7"
              aria-label={`Remove the limit for ${r.domain || `row ${i + 1}`}`}
              onClick={() => setRows(rows.filter((_, j) => j !== i))}
            >
              Remove
            </Button>
          </div>
        ))}
        <div className="flex gap-2">
          <Button onClick={() => setRows([...rows, { domain: "", per_minute: "" }])}>Add a domain</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save limits
          </Button>
        </div>
      </form>
    </Card>
  );
}

export function SmtpPanel({ settings }: { settings: MailSettings }) {
  const smtp = settings.smtp;
  const [to, setTo] = useState("");
  const [result, setResult] = useState<SmtpTestResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fe = error instanceof ApiError ? error.fieldErrors : {};
  const rows: [string, string][] =
    smtp.transport === "smtp"
      ? [
          ["Server", `${smtp.host}:${smtp.port}`],
          ["TLS", smtp.tls],
          ["User", smtp.username || "—"],
          ["Certificate check", smtp.verify_certificate ? "on" : "off"],
          ["Connections per worker", String(smtp.pool)],
        ]
      : [];
  return (
    <Card title="SMTP">
      <div className="mb-4 flex items-center gap-2">
        <span className="text-sm font-medium">Transport</span>
        <Badge tone={smtp.transport === "smtp" ? "green" : "amber"}>{smtp.transport}</Badge>
      </div>
      {smtp.transport === "smtp" ? (
        <dl className="mb-4 grid max-w-lg grid-cols-2 gap-2 text-sm">
          {rows.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-slate-600 dark:text-slate-400">{k}</dt>
              <dd className="font-mono">{v}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="mb-4 max-w-2xl text-sm">
          No SMTP server is set, so mail goes to the built-in outbox (Admin › Outbox), where you see exactly
          what would be sent. Set <code className="font-mono">HERALD_SMTP_URL</code> to deliver for real.
        </p>
      )}
      <p className="mb-3 text-xs text-slate-600 dark:text-slate-400">
        The transport comes from the server's configuration and is shown read-only; the password is never
        shown.
      </p>
      <form
        className="flex flex-wrap items-end gap-2"
        aria-label="Send a test message"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          setResult(null);
          try {
            setResult(await settingsApi.smtpTest(to.trim()));
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <TextField
          label="Send a test message to"
          type="email"
          value={to}
          error={fe.to}
          onChange={(e) => setTo(e.target.value)}
        />
        <Button type="submit" variant="primary" busy={busy} className="mb-0.5">
          Send test
        </Button>
      </form>
      <FormErrors error={error} placed={["to"]} />
      {result && (
        <div
          role="status"
          data-testid="smtp-test-result"
          className={`mt-3 rounded-md border p-3 text-sm ${result.delivered ? "border-emerald-300 bg-emerald-50 dark:border-emerald-800 dark:bg-emerald-950" : "border-red-300 bg-red-50 dark:border-red-800 dark:bg-red-950"}`}
        >
          <p className="font-semibold">
            {result.delivered
              ? result.transport === "outbox"
                ? "Stored in the outbox"
                : "Accepted by the server"
              : "Not delivered"}
          </p>
          <p className="mt-1 font-mono text-xs break-all">{result.detail}</p>
        </div>
      )}
    </Card>
  );
}
