import { useState } from "react";
import { outboxApi } from "../../api/endpoints";
import type { OutboxMessage } from "../../api/models";
import { Button } from "../../components/ui/Button";
import { Dialog } from "../../components/ui/Dialog";
import { EmptyState, ErrorState, LoadingState } from "../../components/ui/States";
import { formatBytes, formatDateTime, formatNumber } from "../../lib/format";
import { useAsync, useInterval } from "../../lib/hooks";

const PAGE_SIZE = 50;

export function OutboxPage() {
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<number | null>(null);
  const list = useAsync(() => outboxApi.list({ page, page_size: PAGE_SIZE }), [page]);
  useInterval(list.reload, 5000, page === 1);
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;
  return (
    <div>
      <h1 className="mb-1 text-xl font-semibold">Outbox</h1>
      <p className="mb-4 max-w-3xl text-sm text-slate-600 dark:text-slate-400">
        While no SMTP server is set, Herald keeps here every message it would have sent, newest first.
      </p>
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <LoadingState />
      ) : list.data.items.length === 0 ? (
        <EmptyState title="The outbox is empty">Test sends and campaign messages appear here.</EmptyState>
      ) : (
        <>
          <div
            role="region"
            aria-label="Outbox (scrollable)"
            tabIndex={0}
            className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
          >
            <table className="min-w-full text-sm">
              <caption className="sr-only">Captured messages, newest first</caption>
              <thead>
                <tr className="border-b border-slate-200 text-left dark:border-slate-700">
                  {["Captured", "To", "Subject", "Campaign", "Size", ""].map((h, i) => (
                    <th key={i} scope="col" className="px-3 py-2 font-semibold">
                      {h || <span className="sr-only">Actions</span>}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {list.data.items.map((m) => (
                  <tr key={m.id}>
                    <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(m.created_at)}</td>
                    <td className="px-3 py-2">{m.to}</td>
                    <td className="max-w-md truncate px-3 py-2">{m.subject}</td>
                    <td className="px-3 py-2">{m.campaign_id ?? "—"}</td>
                    <td className="px-3 py-2 whitespace-nowrap">{formatBytes(m.size)}</td>
                    <td className="px-3 py-2 text-right">
                      <Button
                        size="sm"
                        onClick={() => setOpen(m.id)}
                        aria-label={`View the message to ${m.to}`}
                      >
                        View
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="mt-3 flex items-center justify-between text-sm">
            <span>{formatNumber(list.data.total)} messages</span>
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
      {open !== null && <MessageDialog id={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

function MessageDialog({ id, onClose }: { id: number; onClose: () => void }) {
  const msg = useAsync<OutboxMessage>(() => outboxApi.get(id), [id]);
  return (
    <Dialog
      open
      onClose={onClose}
      title={msg.data?.subject || "Message"}
      wide
      footer={<Button onClick={onClose}>Close</Button>}
    >
      {msg.error ? (
        <ErrorState error={msg.error} />
      ) : !msg.data ? (
        <LoadingState />
      ) : (
        <div className="flex flex-col gap-2 text-sm">
          <p>
            <span className="font-semibold">From</span> {msg.data.from} ·{" "}
            <span className="font-semibold">To</span> {msg.data.to} ·{" "}
            <span className="font-mono text-xs">{msg.data.message_id}</span>
          </p>
          <h3 id="raw-message-title" className="font-semibold">
            Raw message
          </h3>
          <pre
            aria-labelledby="raw-message-title"
            tabIndex={0}
            data-testid="outbox-raw"
            className="max-h-[60vh] overflow-auto rounded bg-slate-100 p-3 font-mono text-xs whitespace-pre-wrap dark:bg-slate-800"
          >
            {msg.data.raw}
          </pre>
        </div>
      )}
    </Dialog>
  );
}
