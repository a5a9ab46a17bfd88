import type { ReactNode } from "react";
import { ApiError, messageOf } from "../../api/errors";
import { Button } from "./Button";

export function Spinner({ label = "Loading" }: { label?: string }) {
  return (
    <span role="status" className="inline-flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
      <span
        className="inline-block h-4 w-4 animate-spin rounded-full border-2 border-indigo-500 border-t-transparent"
        aria-hidden
      />
      {label}…
    </span>
  );
}

export function LoadingState({ label = "Loading" }: { label?: string }) {
  return (
    <div className="flex min-h-32 items-center justify-center p-8">
      <Spinner label={label} />
    </div>
  );
}

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center justify-center gap-2 rounded-lg border border-dashed border-slate-300 p-8 text-center dark:border-slate-700">
      <p className="font-medium text-slate-800 dark:text-slate-100">{title}</p>
      {children && <div className="max-w-md text-sm text-slate-600 dark:text-slate-400">{children}</div>}
      {action && <div className="mt-2">{action}</div>}
    </div>
  );
}

export function ErrorState({
  error,
  onRetry,
  title,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <p className="font-semibold">{title ?? (forbidden ? "Not allowed" : "Something went wrong")}</p>
      <p className="mt-1">{messageOf(error)}</p>
      {onRetry && !forbidden && (
        <Button size="sm" className="mt-3" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

export function InlineError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="text-sm text-red-700 dark:text-red-400">
      {messageOf(error)}
    </p>
  );
}

/** Lists field errors that have no field of their own on the form. */
export function FormErrors({ error, placed }: { error: unknown; placed: string[] }) {
  if (!error) return null;
  if (!(error instanceof ApiError)) return <InlineError error={error} />;
  const others = Object.entries(error.fieldErrors).filter(([f]) => !placed.includes(f));
  const hasPlaced = Object.keys(error.fieldErrors).some((f) => placed.includes(f));
  return (
    <div
      role="alert"
      className="rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
    >
      <p>{hasPlaced && !others.length ? "Please correct the highlighted fields." : error.userMessage}</p>
      {others.length > 0 && (
        <ul className="mt-1 list-disc pl-5">
          {others.map(([f, m]) => (
            <li key={f}>
              <span className="font-mono">{f}</span>: {m}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
