import { useState, type FormEvent } from "react";
import { adminApi } from "../../api/endpoints";
import { ApiError, messageOf } from "../../api/errors";
import type { Role, User } from "../../api/models";
import { useAuth } from "../../auth/AuthContext";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { PageHeader } from "../../components/ui/Card";
import { Dialog } from "../../components/ui/Dialog";
import { Checkbox, inputClass, SelectField, TextField } from "../../components/ui/Field";
import { EmptyState, ErrorState, FormErrors, LoadingState } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { formatDateTime, formatNumber } from "../../lib/format";
import { useAsync, useDebounced } from "../../lib/hooks";

const PAGE = 50;

export function UsersPage() {
  const { user: me } = useAuth();
  const toast = useToast();
  const [q, setQ] = useState("");
  const query = useDebounced(q, 300);
  const [page, setPage] = useState(1);
  const users = useAsync(
    () => adminApi.users({ q: query || undefined, page, page_size: PAGE }),
    [query, page],
  );
  const roles = useAsync(() => adminApi.roles().catch(() => ({ items: [] as Role[] })), []);
  const [editing, setEditing] = useState<User | "new" | null>(null);
  const pages = users.data ? Math.max(1, Math.ceil(users.data.total / PAGE)) : 1;

  return (
    <div>
      <PageHeader
        title="Users"
        actions={
          <Button variant="primary" onClick={() => setEditing("new")}>
            New user
          </Button>
        }
      >
        {users.data ? `${formatNumber(users.data.total)} users` : " "}
      </PageHeader>
      <div className="mb-3 max-w-sm">
        <label htmlFor="user-search" className="sr-only">
          Search users
        </label>
        <input
          id="user-search"
          type="search"
          className={inputClass}
          placeholder="Search email or name"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setPage(1);
          }}
        />
      </div>
      {users.error ? (
        <ErrorState error={users.error} onRetry={users.reload} />
      ) : !users.data ? (
        <LoadingState />
      ) : users.data.items.length === 0 ? (
        <EmptyState title="No user matches" />
      ) : (
        <div
          role="region"
          aria-label="Users (scrollable)"
          tabIndex={0}
          className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
        >
          <table className="min-w-full text-sm" data-testid="users-table">
            <caption className="sr-only">Users</caption>
            <thead className="bg-slate-50 dark:bg-slate-800/60">
              <tr className="text-left">
                {["Email", "Name", "Role", "State", "Last sign-in", ""].map((h, i) => (
                  <th key={i} scope="col" className="px-3 py-2 font-semibold">
                    {h || <span className="sr-only">Actions</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {users.data.items.map((u) => (
                <tr key={u.id}>
                  <td className="px-3 py-2 font-medium">{u.email}</td>
                  <td className="px-3 py-2">{u.name || "—"}</td>
                  <td className="px-3 py-2">
                    <Badge tone="indigo">{u.role}</Badge>
                  </td>
                  <td className="px-3 py-2">
                    {u.active ? <Badge tone="green">active</Badge> : <Badge tone="red">deactivated</Badge>}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(u.last_login_at)}</td>
                  <td className="px-3 py-2 text-right whitespace-nowrap">
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setEditing(u)}
                      aria-label={`Edit ${u.email}`}
                    >
                      Edit
                    </Button>
                    {u.id !== me?.id && (
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Delete ${u.email}`}
                        onClick={async () => {
                          if (!window.confirm(`Delete ${u.email}? Their sessions and API keys end at once.`))
                            return;
                          try {
                            await adminApi.deleteUser(u.id);
                            toast(`Deleted ${u.email}`);
                            users.reload();
                          } catch (e) {
                            toast(messageOf(e), "error");
                          }
                        }}
                      >
                        Delete
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {users.data && users.data.total > PAGE && (
        <nav aria-label="Pages" className="mt-3 flex items-center gap-2 text-sm">
          <Button size="sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous
          </Button>
          <span>
            Page {page} of {pages}
          </span>
          <Button size="sm" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Next
          </Button>
        </nav>
      )}
      {editing && (
        <UserDialog
          user={editing === "new" ? undefined : editing}
          roles={roles.data?.items ?? []}
          onClose={() => setEditing(null)}
          onSaved={(msg) => {
            setEditing(null);
            toast(msg);
            users.reload();
          }}
        />
      )}
    </div>
  );
}

export function UserDialog({
  user,
  roles,
  onClose,
  onSaved,
}: {
  user?: User;
  roles: Role[];
  onClose: () => void;
  onSaved: (msg: string) => void;
}) {
  const [email, setEmail] = useState(user?.email ?? "");
  const [name, setName] = useState(user?.name ?? "");
  const [role, setRole] = useState(user?.role ?? "member");
  const [active, setActive] = useState(user?.active ?? true);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fe = error instanceof ApiError ? error.fieldErrors : {};
  const roleNames = roles.length ? roles.map((r) => r.name) : ["admin", "manager", "member", "viewer"];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (user) {
        const body: { name?: string; role?: string; active?: boolean; password?: string } = {};
        if (name !== user.name) body.name = name;
        if (role !== user.role) body.role = role;
        if (active !== user.active) body.active = active;
        if (password) body.password = password;
        await adminApi.updateUser(user.id, body);
        onSaved(`Saved ${user.email}`);
      } else {
        const u = await adminApi.createUser({
          email: email.trim(),
          name: name.trim(),
          role,
          password,
          active,
        });
        onSaved(`Created ${u.email}`);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} title={user ? `Edit ${user.email}` : "New user"}>
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <FormErrors error={error} placed={["email", "name", "role", "password", "active"]} />
        <TextField
          label="Email"
          type="email"
          name="email"
          value={email}
          error={fe.email}
          disabled={Boolean(user)}
          onChange={(e) => setEmail(e.target.value)}
          required
        />
        <TextField
          label="Name"
          name="name"
          value={name}
          error={fe.name}
          onChange={(e) => setName(e.target.value)}
        />
        <SelectField
          label="Role"
          name="role"
          value={role}
          error={fe.role}
          onChange={(e) => setRole(e.target.value)}
        >
          {roleNames.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
        <TextField
          label={user ? "New password (leave empty to keep)" : "Password"}
          type="password"
          name="password"
          autoComplete="new-password"
          value={password}
          error={fe.password}
          hint={user ? "A new password ends the user's sessions." : undefined}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Checkbox
          label="Active (can sign in)"
          checked={active}
          onChange={(e) => setActive(e.target.checked)}
        />
        {fe.active && <p className="text-sm text-red-700 dark:text-red-400">{fe.active}</p>}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            {user ? "Save" : "Create user"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
