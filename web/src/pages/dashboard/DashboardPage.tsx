import { Link } from "react-router-dom";
import { analyticsApi } from "../../api/analytics";
import { adminApi, leadsApi, segmentsApi } from "../../api/endpoints";
import { useAuth } from "../../auth/AuthContext";
import { CampaignTiles } from "../../components/Campaigns/CampaignTiles";
import { dayBars, type DayCount } from "../../components/Dashboard/dayBars";
import { CountBarChart } from "../../components/ui/CountBarChart";
import { ButtonLink } from "../../components/ui/Button";
import { Card, PageHeader, Stat } from "../../components/ui/Card";
import { EmptyState, ErrorState, LoadingState } from "../../components/ui/States";
import { daysAgoIso, formatNumber, formatTotal } from "../../lib/format";
import { useAsync } from "../../lib/hooks";

const CHART_DAYS = 14;

export function DashboardPage() {
  const { can, user } = useAuth();
  const canLeads = can("lead:read");
  const canSystem = can("system:read");

  // Counts over a date range are capped at 10,000 unless asked for exactly: the dashboard asks.
  const leads = useAsync(
    async (signal) => {
      const [all, week] = await Promise.all([
        leadsApi.list({ page_size: 1 }, signal),
        leadsApi.list({ page_size: 1, created_from: daysAgoIso(7), count: "exact" }, signal),
      ]);
      return { total: all.total, week: week.total, weekAtLeast: week.total_is_lower_bound };
    },
    [],
    { enabled: canLeads },
  );

  const perDay = useAsync(
    async (signal) => {
      const days: DayCount[] = [];
      const requests = [];
      for (let i = CHART_DAYS - 1; i >= 0; i--) {
        const from = daysAgoIso(i);
        const to = daysAgoIso(i - 1);
        requests.push(
          leadsApi
            .list({ page_size: 1, created_from: from, created_to: to, count: "exact" }, signal)
            .then((r) => ({ day: from.slice(0, 10), count: r.total })),
        );
      }
      days.push(...(await Promise.all(requests)));
      return days;
    },
    [],
    { enabled: canLeads },
  );

  const segments = useAsync((_signal) => segmentsApi.list(1, 5), [], { enabled: canLeads });

  // Messages sent per UTC day, from the analytics roll-ups (the same API as the Analytics page).
  const canAnalytics = can("analytics:read");
  const sentPerDay = useAsync(
    async (signal): Promise<DayCount[]> => {
      const series = await analyticsApi.timeseries(
        { metric: "sent", interval: "day", tz: "UTC", from: daysAgoIso(CHART_DAYS - 1), to: daysAgoIso(-1) },
        signal,
      );
      return series.points.map((p) => ({ day: p.t.slice(0, 10), count: p.value }));
    },
    [],
    { enabled: canAnalytics },
  );

  const queues = useAsync(() => adminApi.queues(), [], { enabled: canSystem });
  const failed = queues.data?.queues.reduce((n, q) => n + q.failed, 0);

  return (
    <div>
      <PageHeader title="Dashboard">Welcome back{user?.name ? `, ${user.name}` : ""}.</PageHeader>

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {canLeads && (
          <>
            <Stat
              label="Leads"
              value={leads.loading && !leads.data ? "…" : leads.error ? "—" : formatNumber(leads.data?.total)}
              hint={
                leads.error ? (
                  "Could not load"
                ) : (
                  <Link className="underline" to="/leads">
                    Open leads
                  </Link>
                )
              }
            />
            <Stat
              label="New in the last 7 days"
              value={
                leads.loading && !leads.data
                  ? "…"
                  : leads.error
                    ? "—"
                    : formatTotal(leads.data?.week, leads.data?.weekAtLeast)
              }
              hint="Created since midnight UTC seven days ago"
            />
          </>
        )}
        {canSystem && (
          <Stat
            label="Failed jobs"
            value={queues.loading && !queues.data ? "…" : queues.error ? "—" : formatNumber(failed)}
            hint={
              queues.error ? (
                "Could not load"
              ) : failed ? (
                <Link className="font-medium text-red-700 underline dark:text-red-400" to="/admin#queues">
                  Need attention — review and retry
                </Link>
              ) : (
                "No job needs attention"
              )
            }
          />
        )}
      </div>

      {can("campaign:read") && (
        <div className="mt-6 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <CampaignTiles />
        </div>
      )}

      {canLeads && (
        <div className="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-3">
          <Card title={`New leads per day (last ${CHART_DAYS} days, UTC)`} className="lg:col-span-2">
            {perDay.error ? (
              <ErrorState error={perDay.error} onRetry={perDay.reload} />
            ) : !perDay.data ? (
              <LoadingState />
            ) : perDay.data.every((d) => d.count === 0) ? (
              <EmptyState title="No new leads in this period">
                Import a CSV or add leads to see them here.
              </EmptyState>
            ) : (
              <CountBarChart
                bars={dayBars(perDay.data)}
                what="new leads"
                caption="New leads per day (UTC)"
                tooltipLabel={(l) => `Day ${l}`}
              />
            )}
          </Card>
          <Card
            title="Segments"
            actions={
              <ButtonLink size="sm" to="/leads">
                All leads
              </ButtonLink>
            }
          >
            {segments.error ? (
              <ErrorState error={segments.error} onRetry={segments.reload} />
            ) : !segments.data ? (
              <LoadingState />
            ) : segments.data.items.length === 0 ? (
              <EmptyState title="No saved segments">Save a filter on the leads page to reuse it.</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-200 dark:divide-slate-800">
                {segments.data.items.map((s) => (
                  <li key={s.id} className="flex items-center justify-between py-2 text-sm">
                    <Link to={`/leads?segment_id=${s.id}`} className="font-medium hover:underline">
                      {s.name}
                    </Link>
                    <span className="tabular-nums text-slate-600 dark:text-slate-400">
                      {formatNumber(s.member_count)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      )}

      {canAnalytics && (
        <div className="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-3">
          <Card
            title={`Messages sent per day (last ${CHART_DAYS} days, UTC)`}
            className="lg:col-span-2"
            actions={
              <ButtonLink size="sm" to="/analytics">
                Analytics
              </ButtonLink>
            }
          >
            {sentPerDay.error ? (
              <ErrorState error={sentPerDay.error} onRetry={sentPerDay.reload} />
            ) : !sentPerDay.data ? (
              <LoadingState />
            ) : sentPerDay.data.every((d) => d.count === 0) ? (
              <EmptyState title="No messages sent in this period">
                Send a campaign to see its messages here.
              </EmptyState>
            ) : (
              <CountBarChart
                bars={dayBars(sentPerDay.data)}
                what="messages sent"
                tooltipLabel={(l) => `Day ${l}`}
                caption="Messages sent per day (UTC)"
                color="#0ea5e9"
              />
            )}
          </Card>
        </div>
      )}

      {!canLeads && !canSystem && (
        <EmptyState title="Nothing to show yet">
          Your role has no access to leads or system figures.
        </EmptyState>
      )}
    </div>
  );
}
