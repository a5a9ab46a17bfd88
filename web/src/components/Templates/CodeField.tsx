import { forwardRef, useId, type TextareaHTMLAttributes } from "react";
import { fieldClass } from "../ui/Field";
import { positionOf } from "./variables";

/**
 * A monospace text area for a template part, with the server's error beside it and, when the
 * error names a line and column, a button that puts the caret there.
 */
export const CodeField = forwardRef<
  HTMLTextAreaElement,
  TextareaHTMLAttributes<HTMLTextAreaElement> & {
    label: string;
    error?: string;
    hint?: string;
    onGoTo?: (line: number, column: number) => void;
  }
>(function CodeField({ label, error, hint, onGoTo, ...area }, ref) {
  const id = useId();
  const at = error ? positionOf(error) : null;
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800 dark:text-slate-200">
        {label}
      </label>
      <textarea
        id={id}
        ref={ref}
        spellCheck={false}
        className={`block w-full font-mono ${fieldClass}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        {...area}
      />
      {hint && !error && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} role="alert" className="mt-1 text-sm text-red-700 dark:text-red-400">
          {error}
          {at && onGoTo && (
            <button
              type="button"
              className="ml-2 underline underline-offset-2"
              onClick={() => onGoTo(at.line, at.column)}
            >
              Go to line {at.line}, column {at.column}
            </button>
          )}
        </p>
      )}
    </div>
  );
});
