import type { TemplateVariable } from "./variables";

/** The variables a template may use, as buttons that insert their tag where the caret was. */
export function VariablePicker({
  standard,
  custom,
  onPick,
  disabled,
}: {
  standard: TemplateVariable[];
  custom: TemplateVariable[];
  onPick: (v: TemplateVariable) => void;
  disabled?: boolean;
}) {
  const group = (title: string, vars: TemplateVariable[], empty?: string) => (
    <div>
      <h3 className="mb-1 text-xs font-semibold text-slate-600 uppercase dark:text-slate-400">{title}</h3>
      {vars.length === 0 ? (
        <p className="text-xs text-slate-600 dark:text-slate-400">{empty}</p>
      ) : (
        <ul className="flex flex-wrap gap-1">
          {vars.map((v) => (
            <li key={v.name}>
              <button
                type="button"
                disabled={disabled}
                title={`Insert ${v.snippet}`}
                onClick={() => onPick(v)}
                className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs text-slate-800 hover:bg-indigo-50 disabled:opacity-60 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"
              >
                {v.name}
                <span className="sr-only"> ({v.label})</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
  return (
    <div className="flex flex-col gap-3" aria-label="Variables" role="group">
      {group("Lead and campaign", standard)}
      {group("Custom fields", custom, "No custom fields on your leads yet.")}
      <p className="text-xs text-slate-600 dark:text-slate-400">
        A default for empty values: <code className="font-mono">{"{{first_name|there}}"}</code>.
      </p>
    </div>
  );
}
