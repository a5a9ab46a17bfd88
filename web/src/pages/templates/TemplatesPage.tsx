import { useState } from "react";
import { Link } from "react-router-dom";
import { templatesApi } from "../../api/endpoints";
import { useAuth } from "../../auth/AuthContext";
import { Badge } from "../../components/ui/Badge";
import { Button, ButtonLink } from "../../components/ui/Button";
import { PageHeader } from "../../components/ui/Card";
import { inputClass } from "../../components/ui/Field";
import { EmptyState, ErrorState, LoadingState } from "../../components/ui/States";
import { formatDateTime, formatNumber } from "../../lib/format";
import { useAsync, useDebounced } from "../../lib/hooks";

const PAGE_SIZE = 50;

export function TemplatesPage() {
  const { can } = useAuth();
  const [q, setQ] = useState("");
  const query = useDebounced(q, 300);
  const [page, setPage] = useState(1);
  const list = useAsync(
    (signal) => templatesApi.list({ q: query || undefined, page, page_size: PAGE_SIZE }, signal),
    [query, page],
  );
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;

  return (
    <div>
      <PageHeader
        title="Templates"
        actions={
          can("template:write") && (
            <ButtonLink to="/templates/new" variant="primary">
              New template
            </ButtonLink>
          )
        }
      >
        Mustache templates: a subject, an HTML part and a text part, personalised per lead.
      </PageHeader>
      <div className="mb-3">
        <label className="sr-only" htmlFor="template-search">
          Search templates
        </label>
        <input
          id="template-search"
          type="search"
          className={`${inputClass} max-w-sm`}
          placeholder="Search by name or subject"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setPage(1);
          }}
        />
      </div>
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <LoadingState />
      ) : list.data.items.length === 0 ? (
        <EmptyState
          title={query ? "No template matches" : "No templates yet"}
          action={
            !query &&
            can("template:write") && (
              <ButtonLink to="/templates/new" variant="primary">
                Write the first one
              </ButtonLink>
            )
          }
        >
          {query ? "Try another search." : "A template is what a campaign sends."}
        </EmptyState>
      ) : (
        <>
          <div
            role="region"
            aria-label="Templates (scrollable)"
            tabIndex={0}
            className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
          >
            <table className="min-w-full text-sm">
              <caption className="sr-only">Templates, most recently changed first</caption>
              <thead>
                <tr className="border-b border-slate-200 text-left dark:border-slate-700">
                  {["Name", "Subject", "Version", "Changed"].map((h) => (
                    <th key={h} scope="col" className="px-3 py-2 font-semibold">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {list.data.items.map((t) => (
                  <tr key={t.id}>
                    <td className="px-3 py-2 font-medium">
                      <Link
                        to={`/templates/${t.id}`}
                        className="text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
                      >
                        {t.name}
                      </Link>
                    </td>
                    <td className="max-w-md truncate px-3 py-2 font-mono text-xs">{t.subject}</td>
                    <td className="px-3 py-2">
                      <Badge tone="indigo">v{t.version}</Badge>
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(t.updated_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="mt-3 flex items-center justify-between text-sm">
            <span>
              {formatNumber(list.data.total)} template{list.data.total === 1 ? "" : "s"}
            </span>
            {pages > 1 && (
              <span className="flex items-center gap-2">
                <Button size="sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                  Previous
                </Button>
                Page {page} of {pages}
                <Button size="sm" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                  Next
                </Button>
              </span>
            )}
          </div>
        </>
      )}
    </div>
  );
}
