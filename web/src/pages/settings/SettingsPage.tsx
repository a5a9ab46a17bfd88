import { useState, type FormEvent } from "react";
import { api } from "../../api/client";
import { adminApi, authApi } from "../../api/endpoints";
import { ApiError, messageOf } from "../../api/errors";
import type { CreatedApiKey } from "../../api/models";
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

export function SettingsPage() {
  const { user, permissions, can } = useAuth();
  return (
    <div>
      <PageHeader title="Settings">Your profile and API keys.</PageHeader>
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
          {can("user:manage") && user ? (
            <PasswordForm userId={user.id} />
          ) : (
            <p className="text-sm text-slate-700 dark:text-slate-300">
              Ask an administrator to change your password (Admin › Users). Herald does not offer a
              self-service password change yet.
            </p>
          )}
        </Card>
      </div>
      <div className="mt-4">
        <ApiKeys />
      </div>
    </div>
  );
}

function PasswordForm({ userId }: { userId: number }) {
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
      await adminApi.updateUser(userId, { password });
      // The server ends every session of a user whose password changes, this one included.
      api.clear("password_changed");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Changing it signs you out everywhere, here included.
      </p>
      <FormErrors error={error} placed={["password"]} />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        value={password}
        error={fe.password}
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
        <Button type="submit" variant="primary" busy={busy} disabled={!password}>
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
