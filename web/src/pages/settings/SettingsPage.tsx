import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { authApi, settingsApi } from "../../api/endpoints";
import { ApiError, messageOf } from "../../api/errors";
import type { CreatedApiKey, MailSettings } from "../../api/models";
import { AiPanel } from "../../components/Settings/AiPanel";
import { DkimPanel } from "../../components/Settings/DkimPanel";
import { InboundPanel } from "../../components/Settings/InboundPanel";
import {
  DomainLimitsPanel,
  SenderPanel,
  SmtpPanel,
  TrackingPanel,
} from "../../components/Settings/MailSettingsPanels";
import { useAuth } from "../../auth/AuthContext";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Card, PageHeader } from "../../components/ui/Card";
import { Dialog } from "../../components/ui/Dialog";
import { Checkbox, TextField } from "../../components/ui/Field";
import { EmptyState, ErrorState, FormErrors, LoadingState } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { formatDateTime } from "../../lib/format";
import { useAsync } from "../../lib/hooks";

const MAIL_TABS = [
  { id: "sender", label: "Sender" },
  { id: "dkim", label: "DKIM" },
  { id: "smtp", label: "SMTP" },
  { id: "tracking", label: "Tracking" },
  { id: "limits", label: "Domain limits" },
  { id: "inbound", label: "Inbound mailbox" },
  { id: "ai", label: "AI" },
] as const;
type TabId = "account" | (typeof MAIL_TABS)[number]["id"];

export function SettingsPage() {
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const manage = can("settings:manage");
  const tabs: { id: TabId; label: string }[] = [
    { id: "account", label: "Account" },
    ...(manage ? MAIL_TABS : []),
  ];
  const wanted = params.get("tab") as TabId | null;
  const tab: TabId = tabs.some((t) => t.id === wanted) ? (wanted as TabId) : "account";
  return (
    <div>
      <PageHeader title="Settings">
        {manage ? "Your account, and how Herald sends mail." : "Your profile and API keys."}
      </PageHeader>
      {tabs.length > 1 && (
        <div
          role="tablist"
          aria-label="Settings"
          className="mb-5 flex flex-wrap gap-1 border-b border-slate-200 dark:border-slate-800"
        >
          {tabs.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              onClick={() => setParams(t.id === "account" ? {} : { tab: t.id }, { replace: true })}
              className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
                tab === t.id
                  ? "border-indigo-600 text-indigo-800 dark:border-indigo-400 dark:text-indigo-200"
                  : "border-transparent text-slate-700 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white"
              }`}
            >
              {t.label}
            </button>
          ))}
        </div>
      )}
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={tabs.length > 1 ? `tab-${tab}` : undefined}>
        {tab === "account" ? <AccountTab /> : <MailTab tab={tab} />}
      </div>
    </div>
  );
}

function MailTab({ tab }: { tab: Exclude<TabId, "account"> }) {
  const settings = useAsync(() => settingsApi.get(), []);
  const [current, setCurrent] = useState<MailSettings | null>(null);
  const s = current ?? settings.data;
  if (tab === "dkim") return <DkimPanel />;
  if (settings.error) return <ErrorState error={settings.error} onRetry={settings.reload} />;
  if (!s) return <LoadingState />;
  if (tab === "sender") return <SenderPanel settings={s} onSaved={setCurrent} />;
  if (tab === "smtp") return <SmtpPanel settings={s} />;
  if (tab === "tracking") return <TrackingPanel settings={s} onSaved={setCurrent} />;
  if (tab === "ai") return <AiPanel settings={s} onSaved={setCurrent} />;
  if (tab === "inbound") return <InboundPanel settings={s} onSaved={setCurrent} />;
  return <DomainLimitsPanel settings={s} onSaved={setCurrent} />;
}

function AccountTab() {
  const { user, permissions } = useAuth();
  return (
    <div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Profile">
          <dl className="grid grid-cols-1 gap-3 sm:grid-cols-2">
            {[
              ["Name", user?.name || "—"],
              ["Email", user?.email],
              ["Role", user?.role],
              ["Member since", formatDateTime(user?.created_at)],
              ["Last sign-in", formatDateTime(user?.last_login_at)],
            ].map(([k, v]) => (
              <div key={k}>
                <dt className="text-xs font-medium text-slate-600 uppercase dark:text-slate-400">{k}</dt>
                <dd className="mt-0.5 break-words">{v}</dd>
              </div>
            ))}
          </dl>
          <h3 className="mt-4 mb-2 text-sm font-semibold">Your permissions</h3>
          <ul className="flex flex-wrap gap-1.5">
            {[...permissions].sort().map((p) => (
              <li key={p}>
                <Badge tone="indigo">{p}</Badge>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Password">
          <PasswordForm />
        </Card>
      </div>
      <div className="mt-4">
        <ApiKeys />
      </div>
    </div>
  );
}

/** The signed-in user's own password change: other sessions end, this one stays signed in. */
export function PasswordForm() {
  const toast = useToast();
  const [current, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState("");
  const [busy, setBusy] = useState(false);
  const fe = error instanceof ApiError ? error.fieldErrors : {};
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMismatch(password === confirm ? "" : "The two passwords differ.");
    if (password !== confirm) return;
    setBusy(true);
    setError(null);
    try {
      await authApi.changePassword(current, password);
      setCurrent("");
      setPassword("");
      setConfirm("");
      toast("Password changed; your other sessions were signed out");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-3" noValidate aria-label="Change password">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Changing it signs you out everywhere else; you stay signed in here.
      </p>
      <FormErrors error={error} placed={["current_password", "password"]} />
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={current}
        error={fe.current_password}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        value={password}
        error={fe.password}
        hint="At least 8 characters."
        onChange={(e) => setPassword(e.target.value)}
      />
      <TextField
        label="Repeat the new password"
        type="password"
        autoComplete="new-password"
        value={confirm}
        error={mismatch}
        onChange={(e) => setConfirm(e.target.value)}
      />
      <div>
        <Button type="submit" variant="primary" busy={busy} disabled={!current || !password}>
          Change password
        </Button>
      </div>
    </form>
  );
}

function ApiKeys() {
  const { permissions } = useAuth();
  const toast = useToast();
  const keys = useAsync(() => authApi.apiKeys(), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const active = keys.data?.items ?? [];
  return (
    <Card
      title="API keys"
      actions={
        <Button variant="primary" onClick={() => setCreating(true)}>
          New API key
        </Button>
      }
    >
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        Use a key as a bearer token for integrations. A key never has more than your own current permissions.
      </p>
      {keys.error ? (
        <ErrorState error={keys.error} onRetry={keys.reload} />
      ) : !keys.data ? (
        <LoadingState />
      ) : active.length === 0 ? (
        <EmptyState title="No API keys" />
      ) : (
        <div role="region" aria-label="API keys (scrollable)" tabIndex={0} className="overflow-x-auto">
          <table className="min-w-full text-sm">
            <caption className="sr-only">Your API keys</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left dark:border-slate-700">
                {["Name", "Key", "Permissions", "Created", "Last used", "State", ""].map((h, i) => (
                  <th key={i} scope="col" className="px-2 py-2 font-semibold">
                    {h || <span className="sr-only">Actions</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {active.map((k) => (
                <tr key={k.id}>
                  <td className="px-2 py-2 font-medium">{k.name}</td>
                  <td className="px-2 py-2 font-mono">{k.prefix}…</td>
                  <td className="max-w-xs px-2 py-2 text-xs">{k.permissions.join(", ")}</td>
                  <td className="px-2 py-2 whitespace-nowrap">{formatDateTime(k.created_at)}</td>
                  <td className="px-2 py-2 whitespace-nowrap">{formatDateTime(k.last_used_at)}</td>
                  <td className="px-2 py-2">
                    {k.revoked_at ? <Badge tone="red">revoked</Badge> : <Badge tone="green">active</Badge>}
                  </td>
                  <td className="px-2 py-2 text-right">
                    {!k.revoked_at && (
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Revoke ${k.name}`}
                        onClick={async () => {
                          if (
                            !window.confirm(
                              `Revoke the key ${k.name}? Integrations using it stop working at once.`,
                            )
                          )
                            return;
                          try {
                            await authApi.revokeApiKey(k.id);
                            toast("Key revoked");
                            keys.reload();
                          } catch (e) {
                            toast(messageOf(e), "error");
                          }
                        }}
                      >
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && (
        <NewKeyDialog
          available={[...permissions].sort()}
          onClose={() => setCreating(false)}
          onCreated={(k) => {
            setCreating(false);
            setCreated(k);
            keys.reload();
          }}
        />
      )}
      <Dialog
        open={created !== null}
        onClose={() => setCreated(null)}
        title="Your new API key"
        footer={
          <Button variant="primary" onClick={() => setCreated(null)}>
            I have copied it
          </Button>
        }
      >
        <p className="mb-2 text-sm">This is the only time the key is shown. Copy it now.</p>
        <label htmlFor="new-key" className="sr-only">
          API key
        </label>
        <input
          id="new-key"
          readOnly
          value={created?.key ?? ""}
          className="w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm dark:border-slate-600 dark:bg-slate-800"
          onFocus={(e) => e.target.select()}
          data-testid="new-api-key"
        />
        <Button
          size="sm"
          className="mt-2"
          onClick={() =>
            navigator.clipboard?.writeText(created?.key ?? "").then(
              () => toast("Copied"),
              () => toast("Copy it by hand", "error"),
            )
          }
        >
          Copy
        </Button>
      </Dialog>
    </Card>
  );
}

function NewKeyDialog({
  available,
  onClose,
  onCreated,
}: {
  available: string[];
  onClose: () => void;
  onCreated: (k: CreatedApiKey) => void;
}) {
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<string[]>(available);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fe = error instanceof ApiError ? error.fieldErrors : {};
  return (
    <Dialog open onClose={onClose} title="New API key">
      <form
        className="flex flex-col gap-4"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            onCreated(await authApi.createApiKey(name.trim(), chosen));
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <FormErrors error={error} placed={["name", "permissions"]} />
        <TextField
          label="Name"
          value={name}
          error={fe.name}
          onChange={(e) => setName(e.target.value)}
          hint="What uses this key, e.g. CRM sync"
        />
        <fieldset>
          <legend className="mb-1 text-sm font-medium">Permissions</legend>
          {fe.permissions && <p className="mb-1 text-sm text-red-700 dark:text-red-400">{fe.permissions}</p>}
          <div className="grid grid-cols-2 gap-1">
            {available.map((p) => (
              <Checkbox
                key={p}
                label={p}
                checked={chosen.includes(p)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, p] : chosen.filter((x) => x !== p))}
              />
            ))}
          </div>
        </fieldset>
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Create key
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
