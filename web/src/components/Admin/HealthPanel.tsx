import { healthApi } from "../../api/endpoints";
import { StatusBadge } from "../ui/Badge";
import { Card } from "../ui/Card";
import { ProgressBar } from "../ui/ProgressBar";
import { ErrorState, LoadingState } from "../ui/States";
import { formatDuration, humanize } from "../../lib/format";
import { useAsync, useInterval } from "../../lib/hooks";

const SERVICE_NAMES: Record<string, string> = {
  smtp: "SMTP",
  redis: "Redis",
  sentry: "Sentry",
  queue: "Job queue",
  database: "Database",
};

const tone = (v: number) => (v >= 90 ? "red" : v >= 75 ? "amber" : "green");

export function HealthPanel() {
  const health = useAsync(() => healthApi.detailed(), []);
  useInterval(health.reload, 10_000, true);
  const h = health.data;
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          System health {h && <StatusBadge status={h.status} />}
        </span>
      }
    >
      {health.error && !h ? (
        <ErrorState error={health.error} onRetry={health.reload} />
      ) : !h ? (
        <LoadingState />
      ) : (
        <div className="grid gap-6 md:grid-cols-2" data-testid="health">
          <div className="flex flex-col gap-3">
            <ProgressBar label="CPU" value={h.system.cpu_percent} tone={tone(h.system.cpu_percent)} />
            <ProgressBar
              label="Memory"
              value={h.system.memory_percent}
              tone={tone(h.system.memory_percent)}
            />
            <ProgressBar label="Disk" value={h.system.disk_percent} tone={tone(h.system.disk_percent)} />
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Version {h.version} · up {formatDuration(h.uptime_s)}
            </p>
          </div>
          <div>
            <h3 className="mb-2 text-sm font-semibold">Services</h3>
            <ul className="divide-y divide-slate-100 dark:divide-slate-800">
              {Object.entries(h.services).map(([name, s]) => (
                <li key={name} className="flex items-center justify-between gap-2 py-1.5 text-sm">
                  <span className="font-medium">{SERVICE_NAMES[name] ?? humanize(name)}</span>
                  <span className="flex items-center gap-2">
                    {typeof s.latency_ms === "number" && (
                      <span className="tabular-nums text-slate-600 dark:text-slate-400">
                        {s.latency_ms.toFixed(1)} ms
                      </span>
                    )}
                    <StatusBadge status={s.status} />
                  </span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </Card>
  );
}
