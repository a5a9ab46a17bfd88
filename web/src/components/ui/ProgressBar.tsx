export function ProgressBar({
  value,
  label,
  tone = "indigo",
  showValue = true,
}: {
  value: number;
  label: string;
  tone?: "indigo" | "green" | "amber" | "red";
  showValue?: boolean;
}) {
  const v = Math.max(0, Math.min(100, value));
  const colors = {
    indigo: "bg-indigo-600 dark:bg-indigo-400",
    green: "bg-emerald-600 dark:bg-emerald-400",
    amber: "bg-amber-500 dark:bg-amber-400",
    red: "bg-red-600 dark:bg-red-400",
  };
  return (
    <div>
      <div className="mb-1 flex justify-between text-sm">
        <span className="text-slate-700 dark:text-slate-300">{label}</span>
        {showValue && <span className="font-medium tabular-nums">{v.toFixed(v % 1 ? 1 : 0)}%</span>}
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(v)}
        className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
      >
        <div
          className={`h-full rounded-full transition-[width] duration-300 motion-reduce:transition-none ${colors[tone]}`}
          style={{ width: `${v}%` }}
        />
      </div>
    </div>
  );
}
