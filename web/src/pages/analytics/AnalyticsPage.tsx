import { useState } from "react";
import { analyticsApi, type Overview } from "../../api/analytics";
import { campaignsApi } from "../../api/campaigns";
import {
  PERIODS,
  browserTimeZone,
  changeOf,
  funnelStages,
  intervalFor,
  mergeSeries,
  periodRange,
  type PeriodKey,
} from "../../components/Analytics/analytics";
import { SeriesChart } from "../../components/Analytics/SeriesChart";
import { Button } from "../../components/ui/Button";
import { Card, PageHeader } from "../../components/ui/Card";
import { SelectField } from "../../components/ui/Field";
import { EmptyState, ErrorState, LoadingState } from "../../components/ui/States";
import { formatNumber, formatPercent } from "../../lib/format";
import { useAsync } from "../../lib/hooks";

const SERIES = ["sent", "opened", "clicked"] as const;

function Kpi({
  label,
  value,
  change,
}: {
  label: string;
  value: string;
  change: ReturnType<typeof changeOf>;
}) {
  const tone =
    change.direction === "up"
      ? "text-emerald-700 dark:text-emerald-400"
      : change.direction === "down"
        ? "text-red-700 dark:text-red-400"
        : "text-slate-600 dark:text-slate-400";
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <p className="text-sm text-slate-600 dark:text-slate-400">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-kpi={label}>
        {value}
      </p>
      <p className={`mt-1 text-xs ${tone}`}>{change.text} vs previous period</p>
    </div>
  );
}

function KpiTiles({ o }: { o: Overview }) {
  const p = o.previous;
  return (
    <div className="grid grid-cols-2 gap-4 md:grid-cols-3 xl:grid-cols-6">
      <Kpi label="Sent" value={formatNumber(o.sent)} change={changeOf(o.sent, p.sent)} />
      <Kpi
        label="Delivery rate"
        value={formatPercent(o.rates.delivery)}
        change={changeOf(o.rates.delivery, p.rates.delivery, "rate")}
      />
      <Kpi
        label="Open rate"
        value={formatPercent(o.rates.open)}
        change={changeOf(o.rates.open, p.rates.open, "rate")}
      />
      <Kpi
        label="Click rate"
        value={formatPercent(o.rates.click)}
        change={changeOf(o.rates.click, p.rates.click, "rate")}
      />
      <Kpi
        label="Bounce rate"
        value={formatPercent(o.rates.bounce)}
        change={changeOf(o.rates.bounce, p.rates.bounce, "rate")}
      />
      <Kpi label="New leads" value={formatNumber(o.leads.new)} change={changeOf(o.leads.new, p.leads.new)} />
    </div>
  );
}

function CampaignPanel({ id, tz }: { id: number; tz: string }) {
  const report = useAsync((signal) => analyticsApi.campaign(id, { interval: "day", tz }, signal), [id, tz]);
  if (report.error) return <ErrorState error={report.error} onRetry={report.reload} />;
  if (!report.data) return <LoadingState />;
  const r = report.data;
  const rows = mergeSeries(
    Object.fromEntries(SERIES.map((m) => [m, r.timeseries.points.map((pt) => ({ t: pt.t, value: pt[m] }))])),
    "day",
  );
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Card
        title="Funnel"
        actions={
          <Button size="sm" onClick={() => void analyticsApi.campaignCsv(id)}>
            Download CSV
          </Button>
        }
      >
        <ol className="space-y-2" aria-label="Funnel">
          {funnelStages(r.funnel).map((s) => (
            <li key={s.stage}>
              <div className="flex justify-between text-sm">
                <span>{s.stage}</span>
                <span className="tabular-nums" data-stage={s.stage}>
                  {formatNumber(s.count)} · {formatPercent(s.share)}
                </span>
              </div>
              <div className="mt-1 h-2 rounded bg-slate-100 dark:bg-slate-800" aria-hidden="true">
                <div
                  className="h-2 rounded bg-indigo-500"
                  style={{ width: `${Math.round(s.share * 100)}%` }}
                />
              </div>
            </li>
          ))}
        </ol>
      </Card>
      <Card title="Top links">
        {r.top_links.length === 0 ? (
          <EmptyState title="No clicks yet">Clicks on tracked links appear here.</EmptyState>
        ) : (
          <table className="min-w-full text-sm">
            <caption className="sr-only">Most clicked links</caption>
            <thead>
              <tr>
                <th scope="col" className="py-1 text-left font-semibold">
                  Link
                </th>
                <th scope="col" className="py-1 text-right font-semibold">
                  Clicks
                </th>
                <th scope="col" className="py-1 text-right font-semibold">
                  Unique
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {r.top_links.map((l) => (
                <tr key={l.url}>
                  <td className="max-w-xs truncate py-1" title={l.url}>
                    {l.url}
                  </td>
                  <td className="py-1 text-right tabular-nums">{formatNumber(l.clicks)}</td>
                  <td className="py-1 text-right tabular-nums">{formatNumber(l.unique_clicks)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {rows.length > 0 && (
        <Card title={`${r.name} per day (${tz})`} className="lg:col-span-2">
          <SeriesChart
            rows={rows}
            metrics={[...SERIES]}
            caption={`${r.name}: sent, opened and clicked per day`}
          />
        </Card>
      )}
    </div>
  );
}

export function AnalyticsPage() {
  const [period, setPeriod] = useState<PeriodKey>("30d");
  const [campaignId, setCampaignId] = useState<number | null>(null);
  const tz = browserTimeZone();
  const range = periodRange(period);
  const interval = intervalFor(period);

  const overview = useAsync((signal) => analyticsApi.overview(range, signal), [period]);
  const series = useAsync(
    async (signal) => {
      const all = await Promise.all(
        SERIES.map((metric) => analyticsApi.timeseries({ metric, interval, tz, ...range }, signal)),
      );
      return mergeSeries(Object.fromEntries(SERIES.map((m, i) => [m, all[i].points])), interval);
    },
    [period, tz],
  );
  const campaigns = useAsync((signal) => campaignsApi.list({ page_size: 100 }, signal), []);

  return (
    <div>
      <PageHeader
        title="Analytics"
        actions={
          <>
            <SelectField
              label="Period"
              value={period}
              onChange={(e) => setPeriod(e.target.value as PeriodKey)}
            >
              {PERIODS.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.label}
                </option>
              ))}
            </SelectField>
            <div className="self-end">
              <Button onClick={() => void analyticsApi.overviewCsv(range)}>Download CSV</Button>
            </div>
          </>
        }
      >
        Sends, opens and clicks of every campaign, against the period before. Times in {tz}.
      </PageHeader>

      {overview.error ? (
        <ErrorState error={overview.error} onRetry={overview.reload} />
      ) : !overview.data ? (
        <LoadingState />
      ) : (
        <KpiTiles o={overview.data} />
      )}

      <Card title={`Sent, opened and clicked per ${interval}`} className="mt-6">
        {series.error ? (
          <ErrorState error={series.error} onRetry={series.reload} />
        ) : !series.data ? (
          <LoadingState />
        ) : (
          <SeriesChart
            rows={series.data}
            metrics={[...SERIES]}
            caption={`Sent, opened and clicked per ${interval}`}
          />
        )}
      </Card>

      <section className="mt-6" aria-label="One campaign">
        <div className="mb-3 max-w-sm">
          <SelectField
            label="Campaign"
            value={campaignId ?? ""}
            onChange={(e) => setCampaignId(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">Choose a campaign…</option>
            {campaigns.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
        </div>
        {campaignId !== null && <CampaignPanel id={campaignId} tz={tz} />}
      </section>
    </div>
  );
}
