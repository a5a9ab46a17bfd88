import type { ReactNode } from "react";
import type { Lead } from "../../api/models";
import { StatusBadge } from "../ui/Badge";
import { formatDate } from "../../lib/format";
import { describeReason } from "../Assistant/advice";

export interface Column {
  key: string;
  label: string;
  /** The API's sort key, when the column can be sorted. */
  sort?: string;
  render: (lead: Lead) => ReactNode;
  className?: string;
}

const text = (k: keyof Lead) => (l: Lead) =>
  (l[k] as string) || <span className="text-slate-400 dark:text-slate-500">—</span>;

export const BASE_COLUMNS: Column[] = [
  {
    key: "name",
    label: "Name",
    sort: "last_name",
    render: (l) => [l.first_name, l.last_name].filter(Boolean).join(" ") || "—",
  },
  { key: "company", label: "Company", sort: "company", render: text("company") },
  { key: "title", label: "Title", render: text("title") },
  { key: "status", label: "Status", sort: "status", render: (l) => <StatusBadge status={l.status} /> },
  {
    key: "score",
    label: "Score",
    sort: "score",
    render: (l) =>
      l.score_reasons?.length ? (
        <span title={l.score_reasons.map(describeReason).join("\n")}>{l.score}</span>
      ) : (
        l.score
      ),
    className: "text-right tabular-nums",
  },
  { key: "country", label: "Country", sort: "country", render: text("country") },
  { key: "phone", label: "Phone", render: text("phone") },
  { key: "website", label: "Website", render: text("website") },
  { key: "timezone", label: "Time zone", render: text("timezone") },
  { key: "source", label: "Source", render: text("source") },
  { key: "owner_id", label: "Owner", render: (l) => (l.owner_id === null ? "—" : `#${l.owner_id}`) },
  {
    key: "tags",
    label: "Tags",
    render: (l) =>
      l.tags.length ? (
        <span className="flex gap-1 whitespace-nowrap">
          {l.tags.slice(0, 3).map((t) => (
            <span key={t} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">
              {t}
            </span>
          ))}
          {l.tags.length > 3 && <span className="text-xs">+{l.tags.length - 3}</span>}
        </span>
      ) : (
        "—"
      ),
  },
  { key: "created_at", label: "Created", sort: "created_at", render: (l) => formatDate(l.created_at) },
  { key: "updated_at", label: "Updated", sort: "updated_at", render: (l) => formatDate(l.updated_at) },
];

export const DEFAULT_COLUMNS = ["name", "company", "status", "score", "country", "tags", "created_at"];

export function customColumn(key: string): Column {
  return {
    key: `cf.${key}`,
    label: key,
    render: (l) => {
      const v = l.custom_fields?.[key];
      return v === undefined || v === null || v === "" ? "—" : String(v);
    },
  };
}

export function resolveColumns(keys: string[]): Column[] {
  return keys
    .map((k) => (k.startsWith("cf.") ? customColumn(k.slice(3)) : BASE_COLUMNS.find((c) => c.key === k)))
    .filter((c): c is Column => Boolean(c));
}
