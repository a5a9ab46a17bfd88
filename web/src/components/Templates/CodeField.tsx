import {
  forwardRef,
  useId,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type TextareaHTMLAttributes,
} from "react";
import { fieldClass } from "../ui/Field";
import { completeTag, matchVariables, positionOf, tagAtCaret, type TemplateVariable } from "./variables";

type Open = { start: number; query: string };

/**
 * A monospace text area for a template part, with the server's error beside it and, when the
 * error names a line and column, a button that puts the caret there. Given `variables`, typing
 * `{{` offers the matching merge tags: arrows choose, Enter or Tab inserts, Escape closes.
 */
export const CodeField = forwardRef<
  HTMLTextAreaElement,
  TextareaHTMLAttributes<HTMLTextAreaElement> & {
    label: string;
    error?: string;
    hint?: string;
    onGoTo?: (line: number, column: number) => void;
    variables?: TemplateVariable[];
    /** The whole new text after a completion (the caret is placed by the field). */
    onComplete?: (text: string) => void;
  }
>(function CodeField({ label, error, hint, onGoTo, variables, onComplete, ...area }, ref) {
  const id = useId();
  const inner = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(ref, () => inner.current!, []);
  const [open, setOpen] = useState<Open | null>(null);
  const [active, setActive] = useState(0);
  const dismissed = useRef<number | null>(null);
  // Where the caret goes once a completion's text has rendered; placed before the next keystroke.
  const caretAfter = useRef<number | null>(null);
  useLayoutEffect(() => {
    const el = inner.current;
    if (caretAfter.current === null || !el) return;
    el.focus();
    el.setSelectionRange(caretAfter.current, caretAfter.current);
    caretAfter.current = null;
  });
  const at = error ? positionOf(error) : null;
  const completing = !!variables && !!onComplete && !area.readOnly && !area.disabled;
  const matches = open && variables ? matchVariables(variables, open.query) : [];
  const showing = completing && matches.length > 0;
  const listId = `${id}-tags`;
  const optionId = (i: number) => `${id}-tag-${i}`;

  const track = (el: HTMLTextAreaElement) => {
    if (!completing) return;
    const next = el.selectionStart === el.selectionEnd ? tagAtCaret(el.value, el.selectionStart) : null;
    if (next && next.start === dismissed.current) return setOpen(null);
    if (!next) dismissed.current = null;
    setOpen((old) => {
      if (old?.start !== next?.start || old?.query !== next?.query) setActive(0);
      return next;
    });
  };

  const accept = (v: TemplateVariable) => {
    const el = inner.current;
    if (!el || !open || !onComplete) return;
    const { text, caret } = completeTag(el.value, open.start, el.selectionStart, v);
    caretAfter.current = caret;
    onComplete(text);
    setOpen(null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (showing) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const step = e.key === "ArrowDown" ? 1 : -1;
        setActive((a) => (a + step + matches.length) % matches.length);
        return;
      }
      if ((e.key === "Enter" || e.key === "Tab") && !e.shiftKey) {
        e.preventDefault();
        accept(matches[Math.min(active, matches.length - 1)]);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        dismissed.current = open!.start;
        setOpen(null);
        return;
      }
    }
    area.onKeyDown?.(e);
  };

  const describedBy = [error ? `${id}-error` : hint ? `${id}-hint` : "", completing ? `${id}-howto` : ""]
    .filter(Boolean)
    .join(" ");

  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800 dark:text-slate-200">
        {label}
      </label>
      <div className="relative">
        <textarea
          id={id}
          ref={inner}
          spellCheck={false}
          className={`block w-full font-mono ${fieldClass}`}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          aria-autocomplete={completing ? "list" : undefined}
          aria-controls={showing ? listId : undefined}
          aria-activedescendant={showing ? optionId(Math.min(active, matches.length - 1)) : undefined}
          {...area}
          onKeyDown={onKeyDown}
          onChange={(e) => {
            area.onChange?.(e);
            track(e.currentTarget);
          }}
          onSelect={(e) => {
            area.onSelect?.(e);
            track(e.currentTarget);
          }}
          onBlur={(e) => {
            area.onBlur?.(e);
            setOpen(null);
          }}
        />
        {showing && (
          <ul
            id={listId}
            role="listbox"
            aria-label={`Variables for ${label}`}
            className="absolute top-full left-0 z-20 mt-1 max-h-64 w-72 max-w-full overflow-y-auto rounded-md border border-slate-300 bg-white py-1 text-sm shadow-lg dark:border-slate-600 dark:bg-slate-900"
          >
            {matches.map((v, i) => (
              <li
                key={v.name}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                // Keep the focus in the text area: choose on mouse down, before the blur.
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(v);
                }}
                className={`flex cursor-pointer justify-between gap-3 px-3 py-1 ${
                  i === active
                    ? "bg-indigo-600 text-white"
                    : "text-slate-900 hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800"
                }`}
              >
                <span className="font-mono">{v.name}</span>
                <span className={i === active ? "text-indigo-100" : "text-slate-600 dark:text-slate-400"}>
                  {v.label}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {completing && (
        <p id={`${id}-howto`} className="sr-only">
          Type two opening braces for merge tag suggestions; arrows choose, Enter inserts, Escape closes.
        </p>
      )}
      <p className="sr-only" role="status" aria-live="polite">
        {showing ? `${matches.length} variable${matches.length === 1 ? "" : "s"} match` : ""}
      </p>
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
