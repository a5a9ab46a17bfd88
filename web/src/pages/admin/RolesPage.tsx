import { useState, type FormEvent } from "react";
import { adminApi } from "../../api/endpoints";
import { ApiError, messageOf } from "../../api/errors";
import type { Role } from "../../api/models";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Card, PageHeader } from "../../components/ui/Card";
import { Dialog } from "../../components/ui/Dialog";
import { Checkbox, TextField } from "../../components/ui/Field";
import { ErrorState, FormErrors, LoadingState } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { useAsync } from "../../lib/hooks";

/** Every permission the server knows: the built-in admin role holds them all. */
export function allPermissions(roles: Role[]): string[] {
  const set = new Set<string>();
  for (const r of roles) for (const p of r.permissions) set.add(p);
  return [...set].sort();
}

export function RolesPage() {
  const toast = useToast();
  const roles = useAsync(() => adminApi.roles(), []);
  const [editing, setEditing] = useState<Role | "new" | null>(null);
  const perms = allPermissions(roles.data?.items ?? []);
  return (
    <div>
      <PageHeader
        title="Roles"
        actions={
          <Button variant="primary" onClick={() => setEditing("new")}>
            New role
          </Button>
        }
      >
        Built-in roles are fixed; custom roles take any set of permissions.
      </PageHeader>
      {roles.error ? (
        <ErrorState error={roles.error} onRetry={roles.reload} />
      ) : !roles.data ? (
        <LoadingState />
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          {roles.data.items.map((r) => (
            <Card
              key={r.id}
              title={
                <span className="flex items-center gap-2">
                  {r.name} {r.builtin && <Badge>built-in</Badge>}
                </span>
              }
              actions={
                r.builtin ? undefined : (
                  <>
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setEditing(r)}
                      aria-label={`Edit role ${r.name}`}
                    >
                      Edit
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={`Delete role ${r.name}`}
                      onClick={async () => {
                        if (!window.confirm(`Delete the role ${r.name}?`)) return;
                        try {
                          await adminApi.deleteRole(r.id);
                          toast(`Deleted ${r.name}`);
                          roles.reload();
                        } catch (e) {
                          toast(messageOf(e), "error");
                        }
                      }}
                    >
                      Delete
                    </Button>
                  </>
                )
              }
            >
              <p className="text-sm text-slate-700 dark:text-slate-300">{r.description || "—"}</p>
              <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{r.users} users</p>
              <ul className="mt-2 flex flex-wrap gap-1">
                {r.permissions.map((p) => (
                  <li key={p}>
                    <Badge tone="indigo">{p}</Badge>
                  </li>
                ))}
              </ul>
            </Card>
          ))}
        </div>
      )}
      {editing && (
        <RoleDialog
          role={editing === "new" ? undefined : editing}
          permissions={perms}
          onClose={() => setEditing(null)}
          onSaved={(msg) => {
            setEditing(null);
            toast(msg);
            roles.reload();
          }}
        />
      )}
    </div>
  );
}

function RoleDialog({
  role,
  permissions,
  onClose,
  onSaved,
}: {
  role?: Role;
  permissions: string[];
  onClose: () => void;
  onSaved: (m: string) => void;
}) {
  const [name, setName] = useState(role?.name ?? "");
  const [description, setDescription] = useState(role?.description ?? "");
  const [chosen, setChosen] = useState<string[]>(role?.permissions ?? []);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fe = error instanceof ApiError ? error.fieldErrors : {};
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (role) await adminApi.updateRole(role.id, { name, description, permissions: chosen });
      else await adminApi.createRole({ name: name.trim(), description, permissions: chosen });
      onSaved(role ? `Saved ${name}` : `Created ${name}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} title={role ? `Edit role ${role.name}` : "New role"}>
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <FormErrors error={error} placed={["name", "description", "permissions"]} />
        <TextField
          label="Name"
          hint="Lower-case letters, digits, - or _"
          value={name}
          error={fe.name}
          onChange={(e) => setName(e.target.value)}
        />
        <TextField
          label="Description"
          value={description}
          error={fe.description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <fieldset>
          <legend className="mb-1 text-sm font-medium">Permissions</legend>
          {fe.permissions && <p className="mb-1 text-sm text-red-700 dark:text-red-400">{fe.permissions}</p>}
          <div className="grid grid-cols-2 gap-1">
            {permissions.map((p) => (
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
            {role ? "Save" : "Create role"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
