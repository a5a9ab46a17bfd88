import { useState } from "react";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { Checkbox, TextField } from "../ui/Field";
import { BASE_COLUMNS } from "./columns";

/** Picks the visible columns; the choice is kept in the browser. Only the page's rows re-render. */
export function ColumnChooser({ value, onChange }: { value: string[]; onChange: (cols: string[]) => void }) {
  const [open, setOpen] = useState(false);
  const [custom, setCustom] = useState("");
  const [error, setError] = useState("");
  const toggle = (key: string, on: boolean) =>
    onChange(on ? [...value, key] : value.filter((k) => k !== key));
  const customCols = value.filter((k) => k.startsWith("cf."));
  return (
    <>
      <Button onClick={() => setOpen(true)} aria-haspopup="dialog">
        Columns
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title="Columns"
        footer={
          <Button variant="primary" onClick={() => setOpen(false)}>
            Done
          </Button>
        }
      >
        <fieldset>
          <legend className="mb-2 text-sm text-slate-700 dark:text-slate-300">Email is always shown.</legend>
          <div className="grid grid-cols-2 gap-2">
            {BASE_COLUMNS.map((c) => (
              <Checkbox
                key={c.key}
                label={c.label}
                checked={value.includes(c.key)}
                onChange={(e) => toggle(c.key, e.target.checked)}
              />
            ))}
            {customCols.map((k) => (
              <Checkbox key={k} label={`${k.slice(3)} (custom)`} checked onChange={() => toggle(k, false)} />
            ))}
          </div>
        </fieldset>
        <form
          className="mt-4 flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            const key = custom.trim();
            if (!/^[A-Za-z0-9_]{1,64}$/.test(key)) {
              setError("Use 1-64 letters, digits or '_'");
              return;
            }
            setError("");
            if (!value.includes(`cf.${key}`)) onChange([...value, `cf.${key}`]);
            setCustom("");
          }}
        >
          <TextField
            label="Add a custom field column"
            value={custom}
            error={error}
            className="flex-1"
            onChange={(e) => setCustom(e.target.value)}
          />
          <Button type="submit">Add</Button>
        </form>
      </Dialog>
    </>
  );
}
