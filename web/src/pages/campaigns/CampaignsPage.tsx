import { useState } from "react";
import { Link } from "react-router-dom";
import { CAMPAIGN_STATUSES, campaignsApi, progressOf } from "../../api/campaigns";
import { useAuth } from "../../auth/AuthContext";
import { StatusChip } from "../../components/Campaigns/StatusChip";
import { Button, ButtonLink } from "../../components/ui/Button";
import { PageHeader } from "../../components/ui/Card";
import { ProgressBar } from "../../components/ui/ProgressBar";
import { EmptyState, ErrorState, LoadingState } from "../../components/ui/States";
import { formatDateTime, formatNumber } from "../../lib/format";
import { useAsync, useInterval } from "../../lib/hooks";

const PAGE_SIZE = 50;

export function CampaignsPage() {
  const { can } = useAuth();
  const [status, setStatus] = useState("");
  const [page, setPage] = useState(1);
  const list = useAsync(
    (signal) => campaignsApi.list({ status: status || undefined, page, page_size: PAGE_SIZE }, signal),
    [status, page],
  );
  const live = list.data?.items.some((c) => c.status === "sending" || c.status === "scheduled") ?? false;
  useInterval(list.reload, 2000, live);
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;

  return (
    <div>
      <PageHeader
        title="Campaigns"
        actions={
          can("campaign:create") && (
            <ButtonLink to="/campaigns/new" variant="primary">
              New campaign
            </ButtonLink>
          )
        }
      >
        Personalised mail to your leads, sent once to each, with every step visible.
      </PageHeader>
      <div role="group" aria-label="Filter by status" className="mb-3 flex flex-wrap gap-2">
        {["", ...CAMPAIGN_STATUSES].map((s) => (
          <Button
            key={s || "all"}
            size="sm"
            variant={status === s ? "primary" : "secondary"}
            aria-pressed={status === s}
            onClick={() => {
              setStatus(s);
              setPage(1);
            }}
          >
            {s || "All"}
          </Button>
        ))}
      </div>
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <LoadingState />
      ) : list.data.items.length === 0 ? (
        <EmptyState
          title={status ? `No ${status} campaigns` : "No campaigns yet"}
          action={
            can("campaign:create") && (
              <ButtonLink to="/campaigns/new" variant="primary">
                Create a campaign
              </ButtonLink>
            )
          }
        >
          A campaign sends a template to an audience of leads.
        </EmptyState>
      ) : (
        <div
          role="region"
          aria-label="Campaigns (scrollable)"
          tabIndex={0}
          className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
        >
          <table className="min-w-full text-sm">
            <caption className="sr-only">Campaigns</caption>
            <thead className="bg-slate-50 dark:bg-slate-800/60">
              <tr>
                {["Name", "Status", "Progress", "Sent", "Opened", "Clicked", "Created"].map((h) => (
                  <th key={h} scope="col" className="px-3 py-2 text-left font-semibold">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {list.data.items.map((c) => (
                <tr key={c.id}>
                  <td className="px-3 py-2">
                    <Link
                      className="font-medium text-indigo-700 underline dark:text-indigo-300"
                      to={`/campaigns/${c.id}`}
                    >
                      {c.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    <StatusChip status={c.status} />
                  </td>
                  <td className="min-w-40 px-3 py-2">
                    {c.stats.recipients > 0 ? (
                      <ProgressBar
                        label={`${formatNumber(c.stats.recipients)} recipient${c.stats.recipients === 1 ? "" : "s"}`}
                        value={progressOf(c.stats)}
                        tone={c.status === "failed" ? "red" : c.status === "completed" ? "green" : "indigo"}
                      />
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="px-3 py-2 tabular-nums">{formatNumber(c.stats.sent)}</td>
                  <td className="px-3 py-2 tabular-nums">{formatNumber(c.stats.opened)}</td>
                  <td className="px-3 py-2 tabular-nums">{formatNumber(c.stats.clicked)}</td>
                  <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(c.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && list.data.total > PAGE_SIZE && (
        <nav aria-label="Pages" className="mt-3 flex items-center gap-2 text-sm">
          <Button size="sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous
          </Button>
          <span>
            Page {page} of {formatNumber(pages)}
          </span>
          <Button size="sm" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Next
          </Button>
        </nav>
      )}
    </div>
  );
}
