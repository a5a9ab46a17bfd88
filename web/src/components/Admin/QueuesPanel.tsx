import { useState } from "react";
import { adminApi } from "../../api/endpoints";
import { messageOf } from "../../api/errors";
import type { QueueStats } from "../../api/models";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { EmptyState, ErrorState, LoadingState } from "../ui/States";
import { useToast } from "../ui/Toast";
import { formatDateTime, formatDuration, formatNumber } from "../../lib/format";
import { useAsync, useInterval } from "../../lib/hooks";

export function QueuesPanel() {
  const queues = useAsync(() => adminApi.queues(), []);
  useInterval(queues.reload, 5000, true);
  const [open, setOpen] = useState<string | null>(null);
  const toast = useToast();
  const q = queues.data?.queues;
  return (
    <Card title="Background queues">
      <div id="queues" />
      {queues.error && !q ? (
        <ErrorState error={queues.error} onRetry={queues.reload} />
      ) : !q ? (
        <LoadingState />
      ) : (
        <div role="region" aria-label="Job queues (scrollable)" tabIndex={0} className="overflow-x-auto">
          <table className="min-w-full text-sm" data-testid="queues">
            <caption className="sr-only">Job queues</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left dark:border-slate-700">
                {[
                  "Queue",
                  "Pending",
                  "Scheduled",
                  "Active",
                  "Failed",
                  "Per minute",
                  "Oldest pending",
                  "",
                ].map((h, i) => (
                  <th
                    key={i}
                    scope="col"
                    className={`px-2 py-2 font-semibold ${i > 0 && i < 7 ? "text-right" : ""}`}
                  >
                    {h || <span className="sr-only">Actions</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {q.map((s: QueueStats) => (
                <tr key={s.name}>
                  <th scope="row" className="px-2 py-2 text-left font-medium">
                    {s.name}
                  </th>
                  <td className="px-2 py-2 text-right tabular-nums">{formatNumber(s.pending)}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{formatNumber(s.scheduled)}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{formatNumber(s.active)}</td>
                  <td
                    className={`px-2 py-2 text-right tabular-nums ${s.failed ? "font-semibold text-red-700 dark:text-red-400" : ""}`}
                  >
                    {formatNumber(s.failed)}
                  </td>
                  <td className="px-2 py-2 text-right tabular-nums">
                    {formatNumber(s.processed_per_minute)}
                  </td>
                  <td className="px-2 py-2 text-right tabular-nums">
                    {s.pending ? formatDuration(s.oldest_pending_age_s) : "—"}
                  </td>
                  <td className="px-2 py-2 text-right whitespace-nowrap">
                    {s.failed > 0 && (
                      <>
                        <Button size="sm" variant="ghost" onClick={() => setOpen(s.name)}>
                          View failed
                        </Button>
                        <Button
                          size="sm"
                          onClick={async () => {
                            try {
                              const r = await adminApi.retry(s.name);
                              toast(`Retried ${r.retried} jobs of ${s.name}`);
                              queues.reload();
                            } catch (e) {
                              toast(messageOf(e), "error");
                            }
                          }}
                        >
                          Retry all
                        </Button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && (
        <FailedJobs
          queue={open}
          onClose={() => {
            setOpen(null);
            queues.reload();
          }}
        />
      )}
    </Card>
  );
}

function FailedJobs({ queue, onClose }: { queue: string; onClose: () => void }) {
  const [page, setPage] = useState(1);
  const jobs = useAsync(() => adminApi.failedJobs(queue, page, 20), [queue, page]);
  const toast = useToast();
  const pages = jobs.data ? Math.max(1, Math.ceil(jobs.data.total / 20)) : 1;
  return (
    <Dialog open onClose={onClose} title={`Failed jobs in ${queue}`} wide>
      {jobs.error ? (
        <ErrorState error={jobs.error} onRetry={jobs.reload} />
      ) : !jobs.data ? (
        <LoadingState />
      ) : jobs.data.items.length === 0 ? (
        <EmptyState title="No failed job" />
      ) : (
        <ul className="flex flex-col gap-3">
          {jobs.data.items.map((j) => (
            <li key={j.id} className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-medium">
                  {j.name}{" "}
                  <span className="font-mono text-xs text-slate-600 dark:text-slate-400">{j.id}</span>
                </span>
                <Button
                  size="sm"
                  onClick={async () => {
                    try {
                      await adminApi.retry(queue, j.id);
                      toast("Job queued again");
                      jobs.reload();
                    } catch (e) {
                      toast(messageOf(e), "error");
                    }
                  }}
                >
                  Retry
                </Button>
              </div>
              <p className="mt-1 text-slate-700 dark:text-slate-300">
                {j.status} after {j.attempts}/{j.max_attempts} attempts · {formatDateTime(j.failed_at)}
              </p>
              {j.error && (
                <pre className="mt-1 overflow-x-auto rounded bg-slate-100 p-2 text-xs whitespace-pre-wrap dark:bg-slate-800">
                  {j.error}
                </pre>
              )}
            </li>
          ))}
        </ul>
      )}
      {jobs.data && jobs.data.total > 20 && (
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
    </Dialog>
  );
}
