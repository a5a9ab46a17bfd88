import { useState, type FormEvent } from "react";
import { leadsApi } from "../../api/endpoints";
import { ApiError } from "../../api/errors";
import { LEAD_STATUSES, type LeadFilterObject } from "../../api/models";
import { useAuth } from "../../auth/AuthContext";
import { formatNumber, formatTotal, humanize } from "../../lib/format";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { SelectField, TextField } from "../ui/Field";
import { FormErrors } from "../ui/States";

/** Leads by id, or every lead of a filter (count: its total; atLeast: the total is a lower bound). */
export type Selection = { ids: number[] } | { filter: LeadFilterObject; count: number; atLeast?: boolean };

export function BulkDialog({
  open,
  onClose,
  selection,
  onDone,
}: {
  open: boolean;
  onClose: () => void;
  selection: Selection;
  onDone: (message: string) => void;
}) {
  const { can } = useAuth();
  const [action, setAction] = useState("tag");
  const [tag, setTag] = useState("");
  const [status, setStatus] = useState("contacted");
  const [owner, setOwner] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const count = "ids" in selection ? selection.ids.length : selection.count;
  const shown = formatTotal(count, "filter" in selection && selection.atLeast);
  const fe = error instanceof ApiError ? error.fieldErrors : {};

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const target = "ids" in selection ? { ids: selection.ids } : { filter: selection.filter };
      const body =
        action === "tag" || action === "untag"
          ? { action, tag: tag.trim(), ...target }
          : action === "set_status"
            ? { action, status, ...target }
            : action === "set_owner"
              ? { action, owner_id: owner.trim() === "" ? null : Number(owner), ...target }
              : { action, ...target };
      const r = await leadsApi.bulk(body);
      onDone(`${humanize(r.action)}: ${formatNumber(r.count)} leads`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const deleting = action === "delete";
  return (
    <Dialog open={open} onClose={onClose} title={`Change ${shown} leads`}>
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <FormErrors error={error} placed={["tag", "status", "owner_id"]} />
        <SelectField label="Action" value={action} onChange={(e) => setAction(e.target.value)}>
          <option value="tag">Add a tag</option>
          <option value="untag">Remove a tag</option>
          <option value="set_status">Set the status</option>
          <option value="set_owner">Set the owner</option>
          {can("lead:delete") && <option value="delete">Delete</option>}
        </SelectField>
        {(action === "tag" || action === "untag") && (
          <TextField
            label="Tag"
            value={tag}
            error={fe.tag}
            onChange={(e) => setTag(e.target.value)}
            required
          />
        )}
        {action === "set_status" && (
          <SelectField
            label="Status"
            value={status}
            error={fe.status}
            onChange={(e) => setStatus(e.target.value)}
          >
            {LEAD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </SelectField>
        )}
        {action === "set_owner" && (
          <TextField
            label="Owner (user id; empty to unassign)"
            inputMode="numeric"
            value={owner}
            error={fe.owner_id}
            onChange={(e) => setOwner(e.target.value)}
          />
        )}
        {deleting && (
          <TextField
            label={`Type DELETE to delete ${shown} leads permanently`}
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
          />
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            variant={deleting ? "danger" : "primary"}
            busy={busy}
            disabled={deleting && confirm !== "DELETE"}
          >
            Apply to {shown} leads
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
