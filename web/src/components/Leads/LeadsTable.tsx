import { memo } from "react";
import { Link } from "react-router-dom";
import type { Lead } from "../../api/models";
import type { Column } from "./columns";

function ariaSort(sort: string, key?: string): "ascending" | "descending" | undefined {
  if (!key) return undefined;
  if (sort === key) return "ascending";
  if (sort === `-${key}`) return "descending";
  return undefined;
}

const Row = memo(function Row({
  lead,
  columns,
  selected,
  onToggle,
  selectable,
}: {
  lead: Lead;
  columns: Column[];
  selected: boolean;
  onToggle: (id: number) => void;
  selectable: boolean;
}) {
  return (
    <tr
      className={
        selected ? "bg-indigo-50 dark:bg-indigo-950/60" : "hover:bg-slate-50 dark:hover:bg-slate-800/60"
      }
    >
      {selectable && (
        <td className="w-10 px-3 py-2">
          <input
            type="checkbox"
            className="h-4 w-4 accent-indigo-600"
            checked={selected}
            onChange={() => onToggle(lead.id)}
            aria-label={`Select ${lead.email}`}
          />
        </td>
      )}
      <td className="max-w-[18rem] truncate px-3 py-2">
        <Link
          to={`/leads/${lead.id}`}
          className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
        >
          {lead.email}
        </Link>
      </td>
      {columns.map((c) => (
        <td key={c.key} className={`max-w-[16rem] truncate px-3 py-2 ${c.className ?? ""}`}>
          {c.render(lead)}
        </td>
      ))}
    </tr>
  );
});

export function LeadsTable({
  leads,
  columns,
  sort,
  onSort,
  selected,
  onToggle,
  onToggleAll,
  selectable,
  busy,
}: {
  leads: Lead[];
  columns: Column[];
  sort: string;
  onSort: (key: string) => void;
  selected: ReadonlySet<number>;
  onToggle: (id: number) => void;
  onToggleAll: (on: boolean) => void;
  selectable: boolean;
  busy: boolean;
}) {
  const allOnPage = leads.length > 0 && leads.every((l) => selected.has(l.id));
  const header = (label: string, key?: string, className = "") => {
    const state = ariaSort(sort, key);
    return (
      <th
        scope="col"
        aria-sort={state}
        className={`px-3 py-2 text-left font-semibold whitespace-nowrap ${className}`}
      >
        {key ? (
          <button
            type="button"
            onClick={() => onSort(key)}
            className="inline-flex items-center gap-1 rounded hover:text-indigo-700 dark:hover:text-indigo-300"
          >
            {label}
            <span aria-hidden className="text-xs">
              {state === "ascending" ? "▲" : state === "descending" ? "▼" : "↕"}
            </span>
          </button>
        ) : (
          label
        )}
      </th>
    );
  };
  return (
    <div
      role="region"
      aria-label="Leads (scrollable)"
      tabIndex={0}
      className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    >
      <table className="min-w-full text-sm" aria-busy={busy} data-testid="leads-table">
        <caption className="sr-only">Leads</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-slate-700 dark:border-slate-800 dark:bg-slate-800/60 dark:text-slate-300">
          <tr>
            {selectable && (
              <th scope="col" className="w-10 px-3 py-2">
                <input
                  type="checkbox"
                  className="h-4 w-4 accent-indigo-600"
                  checked={allOnPage}
                  onChange={(e) => onToggleAll(e.target.checked)}
                  aria-label="Select every lead on this page"
                />
              </th>
            )}
            {header("Email", "email")}
            {columns.map((c) =>
              header(c.label, c.sort, c.className?.includes("text-right") ? "text-right" : ""),
            )}
          </tr>
        </thead>
        <tbody className={`divide-y divide-slate-100 dark:divide-slate-800 ${busy ? "opacity-60" : ""}`}>
          {leads.map((l) => (
            <Row
              key={l.id}
              lead={l}
              columns={columns}
              selected={selected.has(l.id)}
              onToggle={onToggle}
              selectable={selectable}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
