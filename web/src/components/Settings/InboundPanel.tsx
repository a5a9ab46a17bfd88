// The monitored mailbox: Herald reads bounces, spam complaints and replies from it over IMAP. The
// password is write-only: the server says whether one is set, never what it is; an empty field keeps
// it. "Test connection" logs in with what the form holds (the stored password when none is typed).
import { useState } from "react";
import { settingsApi } from "../../api/endpoints";
import { ApiError, messageOf } from "../../api/errors";
import type { InboundTestResult, MailSettings } from "../../api/models";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Checkbox, TextField } from "../ui/Field";
import { FormErrors } from "../ui/States";
import { useToast } from "../ui/Toast";

const FIELDS = ["enabled", "imap_url", "user", "password", "poll_interval_s"] as const;
const PLACED = FIELDS.flatMap((f) => [`inbound.${f}`, f]);

/** What failed, from the problem type the test answers with (urn:herald:problem:inbound-<step>). */
const STEPS: Record<string, string> = {
  "inbound-connect": "Could not connect to the server",
  "inbound-tls": "The TLS connection failed",
  "inbound-login": "The server refused the login",
  "inbound-folder": "The folder could not be opened",
};

function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const [f, m] of Object.entries(error.fieldErrors)) out[f.replace(/^inbound\./, "")] = m;
  return out;
}

export function InboundPanel({
  settings,
  onSaved,
}: {
  settings: MailSettings;
  onSaved: (s: MailSettings) => void;
}) {
  const toast = useToast();
  const inbound = settings.inbound;
  const [enabled, setEnabled] = useState(inbound?.enabled ?? false);
  const [url, setUrl] = useState(inbound?.imap_url ?? "");
  const [user, setUser] = useState(inbound?.user ?? "");
  const [password, setPassword] = useState("");
  const [interval, setInterval] = useState(String(inbound?.poll_interval_s ?? 60));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<InboundTestResult | null>(null);
  const [testError, setTestError] = useState<unknown>(null);
  const fe = { ...fieldErrors(error), ...fieldErrors(testError) };
  const testFailed = testError instanceof ApiError && Object.keys(testError.fieldErrors).length === 0;

  const save = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    setTestError(null);
    try {
      onSaved(await settingsApi.update({ inbound: body }));
      setPassword("");
      toast("Inbound mailbox saved");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const test = async () => {
    setTesting(true);
    setError(null);
    setTestError(null);
    setResult(null);
    try {
      const body: { imap_url: string; user: string; password?: string } = {
        imap_url: url.trim(),
        user: user.trim(),
      };
      if (password) body.password = password;
      setResult(await settingsApi.inboundTest(body));
    } catch (e) {
      setTestError(e);
    } finally {
      setTesting(false);
    }
  };

  return (
    <Card
      title="Inbound mailbox"
      actions={inbound?.enabled ? <Badge tone="green">Enabled</Badge> : <Badge tone="amber">Disabled</Badge>}
    >
      <form
        className="flex max-w-2xl flex-col gap-3"
        aria-label="Inbound mailbox"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const body: Record<string, unknown> = {
            enabled,
            imap_url: url.trim() || null,
            user: user.trim() || null,
            poll_interval_s: Number(interval),
          };
          if (password) body.password = password;
          void save(body);
        }}
      >
        <p className="text-sm text-slate-600 dark:text-slate-400">
          The mailbox your bounces, spam complaints and replies arrive in (the Reply-To or Return-Path
          address). Herald reads it over IMAP, marks what it handled as read and leaves everything else unread
          for a person.
        </p>
        <FormErrors error={error} placed={PLACED} />
        <Checkbox
          label="Read this mailbox for bounces, complaints and replies"
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
        />
        {fe.enabled && (
          <p className="text-sm text-red-700 dark:text-red-400" role="alert">
            {fe.enabled}
          </p>
        )}
        <TextField
          label="IMAP URL"
          value={url}
          placeholder="imaps://mail.example.com:993/INBOX"
          hint="imaps:// (TLS), or imap:// with STARTTLS required; the path is the folder (INBOX when left out)."
          error={fe.imap_url}
          spellCheck={false}
          onChange={(e) => setUrl(e.target.value)}
        />
        <TextField
          label="User"
          value={user}
          autoComplete="off"
          error={fe.user}
          onChange={(e) => setUser(e.target.value)}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          value={password}
          placeholder={inbound?.password_set ? "set — type to replace" : "not set"}
          hint={
            inbound?.password_set
              ? "A password is set. It is stored encrypted and never shown; leave empty to keep it."
              : "No password is set."
          }
          error={fe.password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <TextField
          label="Poll interval (seconds)"
          type="number"
          min={10}
          max={86400}
          value={interval}
          hint="How often Herald looks for new mail: 10 to 86400."
          error={fe.poll_interval_s}
          onChange={(e) => setInterval(e.target.value)}
        />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant="primary" busy={busy} disabled={testing}>
            Save inbound settings
          </Button>
          <Button onClick={() => void test()} busy={testing} disabled={busy}>
            Test connection
          </Button>
          {inbound?.password_set && (
            <Button onClick={() => void save({ password: null, enabled: false })} disabled={busy || testing}>
              Remove password
            </Button>
          )}
        </div>
        {result && (
          <div
            role="status"
            data-testid="inbound-test-result"
            className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950"
          >
            <p className="font-semibold">Connected</p>
            <p className="mt-1">
              {result.messages} {result.messages === 1 ? "message" : "messages"} in the folder,{" "}
              {result.unseen} unread.
            </p>
          </div>
        )}
        {testError !== null && (testFailed || !(testError instanceof ApiError)) && (
          <div
            role="alert"
            data-testid="inbound-test-error"
            className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
          >
            <p className="font-semibold">
              {(testError instanceof ApiError && STEPS[testError.type.split(":").pop() ?? ""]) ||
                "The test failed"}
            </p>
            <p className="mt-1 font-mono text-xs break-all">
              {testError instanceof ApiError && testError.detail ? testError.detail : messageOf(testError)}
            </p>
          </div>
        )}
        {testError instanceof ApiError && !testFailed && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            Please correct the highlighted fields.
          </p>
        )}
      </form>
    </Card>
  );
}
