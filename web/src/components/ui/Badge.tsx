import type { ReactNode } from "react";

type Tone = "gray" | "green" | "amber" | "red" | "blue" | "indigo";
const tones: Record<Tone, string> = {
  gray: "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  green: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100",
  amber: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  red: "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100",
  blue: "bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100",
  indigo: "bg-indigo-100 text-indigo-900 dark:bg-indigo-900 dark:text-indigo-100",
};

export function Badge({ tone = "gray", children }: { tone?: Tone; children: ReactNode }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${tones[tone]}`}>
      {children}
    </span>
  );
}

const statusTones: Record<string, Tone> = {
  healthy: "green",
  completed: "green",
  converted: "green",
  interested: "green",
  replied: "blue",
  contacted: "blue",
  running: "blue",
  new: "indigo",
  queued: "gray",
  not_configured: "gray",
  degraded: "amber",
  not_interested: "amber",
  unsubscribed: "amber",
  unhealthy: "red",
  failed: "red",
  dead: "red",
  bounced: "red",
};

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTones[status] ?? "gray"}>{status.replace(/_/g, " ")}</Badge>;
}
