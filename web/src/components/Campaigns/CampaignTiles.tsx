import { Link } from "react-router-dom";
import { CAMPAIGN_STATUSES, campaignsApi, progressOf } from "../../api/campaigns";
import { Card } from "../ui/Card";
import { ProgressBar } from "../ui/ProgressBar";
import { EmptyState, ErrorState, LoadingState } from "../ui/States";
import { formatNumber } from "../../lib/format";
import { useAsync, useInterval } from "../../lib/hooks";
import { StatusChip } from "./StatusChip";

/** The dashboard's campaign tiles: how many in each status, and the active ones with live progress. */
export function CampaignTiles() {
  const summary = useAsync((signal) => campaignsApi.summary(signal), []);
  const active = useAsync((signal) => campaignsApi.list({ status: "sending", page_size: 5 }, signal), []);
  const live = (active.data?.items.length ?? 0) > 0;
  useInterval(
    () => {
      active.reload();
      summary.reload();
    },
    2000,
    live,
  );
  return (
    <>
      <Card title="Campaigns by status">
        {summary.error ? (
          <ErrorState error={summary.error} onRetry={summary.reload} />
        ) : !summary.data ? (
          <LoadingState />
        ) : (
          <ul className="grid grid-cols-2 gap-2 text-sm">
            {CAMPAIGN_STATUSES.map((s) => (
              <li key={s} className="flex items-center justify-between gap-2">
                <StatusChip status={s} />
                <span className="font-semibold tabular-nums">
                  {formatNumber(summary.data!.by_status[s] ?? 0)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Sending now" className="sm:col-span-2 lg:col-span-2">
        {active.error ? (
          <ErrorState error={active.error} onRetry={active.reload} />
        ) : !active.data ? (
          <LoadingState />
        ) : active.data.items.length === 0 ? (
          <EmptyState title="No campaign is sending">
            <Link className="underline" to="/campaigns">
              Open campaigns
            </Link>
          </EmptyState>
        ) : (
          <ul className="space-y-3">
            {active.data.items.map((c) => (
              <li key={c.id}>
                <Link className="font-medium underline" to={`/campaigns/${c.id}`}>
                  {c.name}
                </Link>
                <ProgressBar
                  label={`${formatNumber(c.stats.sent)} of ${formatNumber(c.stats.recipients)} sent · ${formatNumber(Math.round(c.rate_per_minute))}/min`}
                  value={progressOf(c.stats)}
                />
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
