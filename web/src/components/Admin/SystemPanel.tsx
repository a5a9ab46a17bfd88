import { campaignsApi } from "../../api/campaigns";
import { adminApi } from "../../api/endpoints";
import type { SystemFigures } from "../../api/models";
import { StatusBadge } from "../ui/Badge";
import { Card, Stat } from "../ui/Card";
import { ProgressBar } from "../ui/ProgressBar";
import { ErrorState, LoadingState } from "../ui/States";
import { formatDuration, formatMs, formatNumber, formatPercent, humanize } from "../../lib/format";
import { useAsync, useInterval } from "../../lib/hooks";
import { TrafficCharts } from "./TrafficCharts";

const SERVICE_NAMES: Record<string, string> = {
  smtp: "SMTP",
  redis: "Redis",
  sentry: "Sentry",
  queue: "Job queue",
  database: "Database",
};

const tone = (v: number) => (v >= 90 ? "red" : v >= 75 ? "amber" : "green");

/** Campaigns started and not finished: the summary's scheduled, sending and paused counts. */
export function activeCampaigns(byStatus: Record<string, number>) {
  const n = (k: string) => byStatus[k] ?? 0;
  return {
    total: n("scheduled") + n("sending") + n("paused"),
    hint: `${formatNumber(n("sending"))} sending · ${formatNumber(n("scheduled"))} scheduled · ${formatNumber(n("paused"))} paused`,
  };
}

function Tiles({ s, countCampaigns }: { s: SystemFigures; countCampaigns: boolean }) {
  // While /api/admin/system leaves the figure null, the campaigns summary gives it (campaign:read).
  const summary = useAsync((signal) => campaignsApi.summary(signal), [s.generated_at], {
    enabled: countCampaigns && s.active_campaigns === null,
  });
  const counted = summary.data ? activeCampaigns(summary.data.by_status) : null;
  const active =
    s.active_campaigns !== null
      ? { value: formatNumber(s.active_campaigns), hint: "scheduled, sending or paused" }
      : counted
        ? { value: formatNumber(counted.total), hint: counted.hint }
        : { value: "—", hint: summary.error || !countCampaigns ? "could not be counted" : undefined };
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="system-figures">
      <Stat label="Active users (24 h)" value={formatNumber(s.active_users_24h)} />
      <Stat label="Active campaigns" value={active.value} hint={active.hint} />
      <Stat
        label="API calls today"
        value={formatNumber(s.api_calls_today)}
        hint={`${formatNumber(s.api_calls_24h)} in 24 h`}
      />
      <Stat
        label="Error rate (24 h)"
        value={formatPercent(s.error_rate_24h)}
        hint={`${formatNumber(s.errors_24h)} server errors`}
      />
      <Stat label="Avg response (24 h)" value={formatMs(s.avg_response_ms_24h)} />
      <Stat label="p95 response (24 h)" value={formatMs(s.p95_response_ms_24h)} />
      <Stat label="Uptime" value={formatDuration(s.uptime_s)} hint={`version ${s.version}`} />
      <Stat
        label="Jobs pending"
        value={formatNumber(s.queues.reduce((n, q) => n + q.pending, 0))}
        hint={s.queues.map((q) => `${q.name} ${formatNumber(q.pending)}`).join(" · ")}
      />
    </div>
  );
}

function Health({ s }: { s: SystemFigures }) {
  return (
    <div className="grid gap-6 md:grid-cols-2" data-testid="health">
      <div className="flex flex-col gap-3">
        <ProgressBar label="CPU" value={s.system.cpu_percent} tone={tone(s.system.cpu_percent)} />
        <ProgressBar label="Memory" value={s.system.memory_percent} tone={tone(s.system.memory_percent)} />
        <ProgressBar label="Disk" value={s.system.disk_percent} tone={tone(s.system.disk_percent)} />
        {s.reason && (
          <p className="text-sm text-amber-800 dark:text-amber-300" data-testid="health-reason">
            {s.reason}
          </p>
        )}
      </div>
      <div>
        <h3 className="mb-2 text-sm font-semibold">Services</h3>
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {Object.entries(s.services).map(([name, svc]) => (
            <li key={name} className="flex items-center justify-between gap-2 py-1.5 text-sm">
              <span className="font-medium">{SERVICE_NAMES[name] ?? humanize(name)}</span>
              <span className="flex items-center gap-2">
                {typeof svc.latency_ms === "number" && (
                  <span className="tabular-nums text-slate-600 dark:text-slate-400">
                    {svc.latency_ms.toFixed(1)} ms
                  </span>
                )}
                <StatusBadge status={svc.status} />
              </span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** The admin dashboard's figures (GET /api/admin/system), refreshed every 15 s; with
 * `countCampaigns` (campaign:read) the active campaigns from the campaigns summary. */
export function SystemPanel({ countCampaigns = false }: { countCampaigns?: boolean }) {
  const figures = useAsync(() => adminApi.system(60), []);
  useInterval(figures.reload, 15_000, true);
  const s = figures.data;
  return (
    <Card
      title={<span className="flex items-center gap-2">System {s && <StatusBadge status={s.status} />}</span>}
    >
      {figures.error && !s ? (
        <ErrorState error={figures.error} onRetry={figures.reload} />
      ) : !s ? (
        <LoadingState />
      ) : (
        <div className="flex flex-col gap-6">
          <Tiles s={s} countCampaigns={countCampaigns} />
          <TrafficCharts data={s.traffic} />
          <Health s={s} />
        </div>
      )}
    </Card>
  );
}
