import { useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { campaignsApi, progressOf, RECIPIENT_STATES, type Campaign } from "../../api/campaigns";
import { messageOf } from "../../api/errors";
import { useAuth } from "../../auth/AuthContext";
import { minuteBars } from "../../components/Campaigns/minuteBars";
import { CountBarChart } from "../../components/ui/CountBarChart";
import { StatusChip } from "../../components/Campaigns/StatusChip";
import { Button, ButtonLink } from "../../components/ui/Button";
import { Card, PageHeader, Stat } from "../../components/ui/Card";
import { Dialog } from "../../components/ui/Dialog";
import { fieldClass, TextField } from "../../components/ui/Field";
import { ProgressBar } from "../../components/ui/ProgressBar";
import { EmptyState, ErrorState, InlineError, LoadingState } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { formatDateTime, formatNumber } from "../../lib/format";
import { useAsync, useInterval } from "../../lib/hooks";

type ActionName = "send" | "pause" | "resume" | "cancel" | "delete";

const CONFIRM: Record<ActionName, { title: string; text: string; button: string; danger?: boolean }> = {
  send: {
    title: "Send this campaign?",
    text: "Every lead of the audience gets the message once (unsubscribed, bounced and suppressed leads are left out). The template's current version is kept for this campaign.",
    button: "Send",
  },
  pause: { title: "Pause sending?", text: "No further message leaves until you resume.", button: "Pause" },
  resume: { title: "Resume sending?", text: "Sending continues where it stopped.", button: "Resume" },
  cancel: {
    title: "Cancel this campaign?",
    text: "Messages not yet sent will never be sent. This cannot be undone.",
    button: "Cancel campaign",
    danger: true,
  },
  delete: {
    title: "Delete this campaign?",
    text: "The campaign and its per-recipient records are removed.",
    button: "Delete",
    danger: true,
  },
};

export function CampaignDetailPage() {
  const id = Number(useParams().id);
  const campaign = useAsync((signal) => campaignsApi.get(id, signal), [id]);
  const live = campaign.data?.status === "sending" || campaign.data?.status === "scheduled";
  useInterval(campaign.reload, 2000, live);
  if (campaign.error && !campaign.data)
    return <ErrorState error={campaign.error} onRetry={campaign.reload} />;
  if (!campaign.data) return <LoadingState />;
  return <Detail c={campaign.data} reload={campaign.reload} live={live} />;
}

function Detail({ c, reload, live }: { c: Campaign; reload: () => void; live: boolean }) {
  const { can } = useAuth();
  const toast = useToast();
  const navigate = useNavigate();
  const [confirm, setConfirm] = useState<ActionName | null>(null);
  const [testing, setTesting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const s = c.stats;

  const run = async (action: ActionName) => {
    setBusy(true);
    setActionError(undefined);
    try {
      if (action === "send") {
        const a = await campaignsApi.send(c.id);
        toast(
          `${a.status === "scheduled" ? "Scheduled" : "Sending"}: ${formatNumber(a.emails_queued)} email${a.emails_queued === 1 ? "" : "s"}`,
        );
      } else if (action === "delete") {
        await campaignsApi.remove(c.id);
        toast("Campaign deleted");
        navigate("/campaigns");
        return;
      } else {
        await campaignsApi[action](c.id);
        toast(`Campaign ${action === "cancel" ? "cancelled" : action === "pause" ? "paused" : "resumed"}`);
      }
      setConfirm(null);
      reload();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };

  const actions = (
    <>
      <ButtonLink to="/campaigns">All campaigns</ButtonLink>
      {can("campaign:create") && ["draft", "scheduled", "paused"].includes(c.status) && (
        <ButtonLink to={`/campaigns/${c.id}/edit`}>Edit</ButtonLink>
      )}
      {can("campaign:send") && (
        <Button onClick={() => setTesting(true)} disabled={c.status === "completed"}>
          Send a test
        </Button>
      )}
      {can("campaign:send") && c.status === "draft" && (
        <Button variant="primary" onClick={() => setConfirm("send")}>
          Send…
        </Button>
      )}
      {can("campaign:send") && c.status === "sending" && (
        <Button onClick={() => setConfirm("pause")}>Pause…</Button>
      )}
      {can("campaign:send") && c.status === "paused" && (
        <Button variant="primary" onClick={() => setConfirm("resume")}>
          Resume…
        </Button>
      )}
      {can("campaign:send") && ["scheduled", "sending", "paused"].includes(c.status) && (
        <Button variant="danger" onClick={() => setConfirm("cancel")}>
          Cancel…
        </Button>
      )}
      {can("campaign:delete") && ["draft", "completed", "cancelled", "failed"].includes(c.status) && (
        <Button variant="ghost" onClick={() => setConfirm("delete")}>
          Delete…
        </Button>
      )}
    </>
  );

  return (
    <div>
      <PageHeader title={c.name} actions={actions}>
        <span className="inline-flex flex-wrap items-center gap-2">
          <StatusChip status={c.status} />
          {c.template_version !== null && <span>template v{c.template_version}</span>}
          {c.status === "scheduled" && c.scheduled_at && <span>starts {formatDateTime(c.scheduled_at)}</span>}
          {c.status === "sending" && (
            <span>{formatNumber(Math.round(c.rate_per_minute))} sent in the last minute</span>
          )}
          {c.error && <span className="text-red-700 dark:text-red-400">{c.error}</span>}
        </span>
      </PageHeader>
      {s.recipients > 0 && (
        <div className="mb-4">
          <ProgressBar
            label={`${formatNumber(s.sent + s.failed + (s.skipped ?? 0) + (s.cancelled ?? 0))} of ${formatNumber(s.recipients)} recipients done`}
            value={progressOf(s)}
            tone={c.status === "completed" ? "green" : c.status === "failed" ? "red" : "indigo"}
          />
        </div>
      )}
      <div className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        <Stat label="Recipients" value={formatNumber(s.recipients)} />
        <Stat
          label="Waiting"
          value={formatNumber(s.queued + (s.sending ?? 0) + (s.deferred ?? 0))}
          hint={`${formatNumber(s.deferred ?? 0)} retrying`}
        />
        <Stat label="Sent" value={formatNumber(s.sent)} />
        <Stat
          label="Failed"
          value={formatNumber(s.failed)}
          hint={`${formatNumber(s.bounced)} bounced, ${formatNumber(s.skipped ?? 0)} skipped`}
        />
        <Stat label="Opened" value={formatNumber(s.opened)} />
        <Stat label="Clicked" value={formatNumber(s.clicked)} />
        <Stat label="Unsubscribed" value={formatNumber(s.unsubscribed)} />
        <Stat label="Replied" value={formatNumber(s.replied)} />
      </div>
      {c.status !== "draft" && <Timeline id={c.id} live={live} status={c.status} />}
      <Recipients
        id={c.id}
        stamp={`${c.status}/${s.sent}/${s.failed}/${s.skipped ?? 0}/${s.cancelled ?? 0}`}
      />
      {confirm && (
        <Dialog
          open
          onClose={() => setConfirm(null)}
          title={CONFIRM[confirm].title}
          footer={
            <>
              <Button onClick={() => setConfirm(null)}>Keep as is</Button>
              <Button
                variant={CONFIRM[confirm].danger ? "danger" : "primary"}
                busy={busy}
                onClick={() => void run(confirm)}
              >
                {CONFIRM[confirm].button}
              </Button>
            </>
          }
        >
          <p className="text-sm">{CONFIRM[confirm].text}</p>
          <div className="mt-2">
            <InlineError error={actionError} />
          </div>
        </Dialog>
      )}
      <TestDialog open={testing} campaign={c} onClose={() => setTesting(false)} />
    </div>
  );
}

function Timeline({ id, live, status }: { id: number; live: boolean; status: string }) {
  // Loaded again when the status changes too, so the last minute of a finished send shows.
  const t = useAsync((signal) => campaignsApi.timeline(id, 60, signal), [id, status]);
  useInterval(t.reload, 5000, live);
  return (
    <Card title="Sent per minute (last hour)" className="mb-4">
      {t.error ? (
        <ErrorState error={t.error} onRetry={t.reload} />
      ) : !t.data ? (
        <LoadingState />
      ) : t.data.points.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Nothing sent in the last hour.</p>
      ) : (
        <CountBarChart
          bars={minuteBars(t.data.points)}
          what="sent"
          caption="Messages sent per minute (UTC)"
          tooltipLabel={(l) => `${l} UTC`}
          height="h-48"
        />
      )}
    </Card>
  );
}

/** The recipients with their states; `stamp` (the campaign's status and counts, polled while it
 * sends) changing loads them again, so a send that ends between two polls still shows them. */
function Recipients({ id, stamp }: { id: number; stamp: string }) {
  const [state, setState] = useState("");
  const [page, setPage] = useState(1);
  const list = useAsync(
    (signal) => campaignsApi.recipients(id, { state: state || undefined, page, page_size: 50 }, signal),
    [id, state, page, stamp],
  );
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / 50)) : 1;
  return (
    <Card
      title="Recipients"
      actions={
        <>
          <label className="sr-only" htmlFor="rstate">
            State
          </label>
          <select
            id="rstate"
            className={fieldClass}
            value={state}
            onChange={(e) => {
              setState(e.target.value);
              setPage(1);
            }}
          >
            <option value="">Every state</option>
            {RECIPIENT_STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </>
      }
    >
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <LoadingState />
      ) : list.data.items.length === 0 ? (
        <EmptyState title="No recipients here">Recipients appear once the campaign is sent.</EmptyState>
      ) : (
        <div role="region" aria-label="Recipients (scrollable)" tabIndex={0} className="overflow-x-auto">
          <table className="min-w-full text-sm">
            <caption className="sr-only">Recipients</caption>
            <thead className="bg-slate-50 dark:bg-slate-800/60">
              <tr>
                {["Email", "State", "Attempts", "SMTP reply", "Sent", "Opened", "Clicked"].map((h) => (
                  <th key={h} scope="col" className="px-3 py-2 text-left font-semibold">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {list.data.items.map((r) => (
                <tr key={r.id}>
                  <td className="px-3 py-2 font-mono">{r.email}</td>
                  <td className="px-3 py-2">
                    <StatusChip status={r.state} />
                  </td>
                  <td className="px-3 py-2 tabular-nums">{r.attempts}</td>
                  <td className="max-w-md truncate px-3 py-2" title={r.last_reply ?? ""}>
                    {r.last_reply ?? "—"}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(r.sent_at)}</td>
                  <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(r.opened_at)}</td>
                  <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(r.clicked_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && list.data.total > 50 && (
        <nav aria-label="Recipient pages" className="mt-3 flex items-center gap-2 text-sm">
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
    </Card>
  );
}

function TestDialog({ open, campaign, onClose }: { open: boolean; campaign: Campaign; onClose: () => void }) {
  const [emails, setEmails] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [results, setResults] = useState<{ email: string; delivered: boolean; detail: string }[]>();
  const send = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const list = emails.split(/[\s,;]+/).filter(Boolean);
      setResults((await campaignsApi.test(campaign.id, list)).results);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={open}
      onClose={() => {
        setResults(undefined);
        onClose();
      }}
      title="Send a test"
      footer={
        <Button variant="primary" busy={busy} onClick={() => void send()}>
          Send test
        </Button>
      }
    >
      <TextField
        label="To (up to 10 addresses, comma-separated)"
        value={emails}
        onChange={(e) => setEmails(e.target.value)}
        hint="Never sent to leads; no tracking; nothing is recorded on the campaign."
      />
      <div className="mt-2">
        <InlineError error={error} />
      </div>
      {results && (
        <ul className="mt-3 space-y-1 text-sm" aria-live="polite">
          {results.map((r) => (
            <li key={r.email}>
              <span className="font-mono">{r.email}</span>: {r.delivered ? "delivered" : "not delivered"} —{" "}
              {r.detail}
            </li>
          ))}
        </ul>
      )}
      {error !== undefined && <p className="sr-only">{messageOf(error)}</p>}
    </Dialog>
  );
}
