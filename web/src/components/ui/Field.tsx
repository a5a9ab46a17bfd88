import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";

export const fieldClass =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 placeholder:text-slate-500 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:placeholder:text-slate-400 aria-[invalid=true]:border-red-600 dark:aria-[invalid=true]:border-red-400";
export const inputClass = `block w-full ${fieldClass}`;

interface FieldShell {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  className?: string;
}

function Shell({
  id,
  label,
  error,
  hint,
  className = "",
  children,
}: FieldShell & { id: string; children: ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800 dark:text-slate-200">
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700 dark:text-red-400" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function describedBy(id: string, error?: string, hint?: ReactNode) {
  return error ? `${id}-error` : hint ? `${id}-hint` : undefined;
}

export function TextField({
  label,
  error,
  hint,
  className,
  id: givenId,
  ...input
}: FieldShell & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const id = givenId ?? auto;
  return (
    <Shell id={id} label={label} error={error} hint={hint} className={className}>
      <input
        id={id}
        className={inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        {...input}
      />
    </Shell>
  );
}

export function TextAreaField({
  label,
  error,
  hint,
  className,
  id: givenId,
  ...input
}: FieldShell & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const auto = useId();
  const id = givenId ?? auto;
  return (
    <Shell id={id} label={label} error={error} hint={hint} className={className}>
      <textarea
        id={id}
        className={inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        {...input}
      />
    </Shell>
  );
}

export function SelectField({
  label,
  error,
  hint,
  className,
  id: givenId,
  children,
  ...select
}: FieldShell & SelectHTMLAttributes<HTMLSelectElement>) {
  const auto = useId();
  const id = givenId ?? auto;
  return (
    <Shell id={id} label={label} error={error} hint={hint} className={className}>
      <select
        id={id}
        className={inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        {...select}
      >
        {children}
      </select>
    </Shell>
  );
}

export function Checkbox({
  label,
  className = "",
  ...input
}: { label: ReactNode; className?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label
      className={`inline-flex items-center gap-2 text-sm text-slate-800 dark:text-slate-200 ${className}`}
    >
      <input type="checkbox" className="h-4 w-4 rounded border-slate-400 accent-indigo-600" {...input} />
      <span>{label}</span>
    </label>
  );
}

/** One radio button per choice, labelled, for a value out of a few. */
export function RadioChoices<K extends string>({
  name,
  choices,
  value,
  onChange,
}: {
  name: string;
  choices: readonly (readonly [K, ReactNode])[];
  value: K;
  onChange: (k: K) => void;
}) {
  return choices.map(([k, label]) => (
    <label key={k} className="inline-flex items-center gap-2 text-sm">
      <input
        type="radio"
        name={name}
        checked={value === k}
        onChange={() => onChange(k)}
        className="accent-indigo-600"
      />
      {label}
    </label>
  ));
}
