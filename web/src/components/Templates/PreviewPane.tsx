import { useEffect, useState } from "react";
import { leadsApi, templatesApi } from "../../api/endpoints";
import { ApiError, messageOf } from "../../api/errors";
import type { Lead, RenderedTemplate } from "../../api/models";
import { fieldClass } from "../ui/Field";
import { Spinner } from "../ui/States";
import { useDebounced } from "../../lib/hooks";

export interface DraftContent {
  subject: string;
  html: string;
  text: string;
}

/**
 * Renders the editor's unsaved content for a chosen lead (or the sample lead) as the server
 * would, half a second after the last keystroke. Validation problems go to `onProblems`, so
 * the editor shows them beside their fields while the author types.
 */
export function PreviewPane({
  content,
  onProblems,
}: {
  content: DraftContent;
  onProblems: (fieldErrors: Record<string, string>) => void;
}) {
  // Debounced by value (a string), so re-renders with the same content do not render again.
  const draftKey = useDebounced(JSON.stringify(content), 500);
  const [leadQuery, setLeadQuery] = useState("");
  const query = useDebounced(leadQuery, 300);
  const [leads, setLeads] = useState<Lead[]>([]);
  const [leadId, setLeadId] = useState<number | undefined>(undefined);
  const [rendered, setRendered] = useState<RenderedTemplate | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [view, setView] = useState<"html" | "text">("html");

  useEffect(() => {
    const ctrl = new AbortController();
    leadsApi
      .list({ q: query || undefined, page_size: 20 }, ctrl.signal)
      .then((p) => setLeads(p.items))
      .catch(() => setLeads([]));
    return () => ctrl.abort();
  }, [query]);

  useEffect(() => {
    const draft = JSON.parse(draftKey) as DraftContent;
    if (!draft.subject.trim() || !draft.html.trim()) {
      setRendered(null);
      return;
    }
    let live = true;
    setBusy(true);
    templatesApi
      .previewDraft({ subject: draft.subject, html: draft.html, text: draft.text, lead_id: leadId })
      .then((r) => {
        if (!live) return;
        setRendered(r);
        setError(null);
        onProblems({});
      })
      .catch((e) => {
        if (!live) return;
        setError(e);
        if (e instanceof ApiError && e.status === 422) onProblems(e.fieldErrors);
      })
      .finally(() => live && setBusy(false));
    return () => {
      live = false;
    };
    // onProblems is a state setter of the parent
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draftKey, leadId]);

  return (
    <section aria-label="Preview" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="preview-lead-search" className="mb-1 block text-sm font-medium">
            Preview as
          </label>
          <input
            id="preview-lead-search"
            type="search"
            className={`${fieldClass} w-44`}
            placeholder="Find a lead"
            value={leadQuery}
            onChange={(e) => setLeadQuery(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="preview-lead" className="sr-only">
            Lead
          </label>
          <select
            id="preview-lead"
            className={`${fieldClass} max-w-56`}
            value={leadId ?? ""}
            onChange={(e) => setLeadId(e.target.value ? Number(e.target.value) : undefined)}
          >
            <option value="">Sample lead</option>
            {leads.map((l) => (
              <option key={l.id} value={l.id}>
                {[l.first_name, l.last_name].filter(Boolean).join(" ") || l.email} — {l.email}
              </option>
            ))}
          </select>
        </div>
        <div role="tablist" aria-label="Part" className="ml-auto flex gap-1">
          {(["html", "text"] as const).map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={view === v}
              onClick={() => setView(v)}
              className={`rounded px-2 py-1 text-sm ${view === v ? "bg-indigo-600 text-white" : "text-slate-700 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800"}`}
            >
              {v === "html" ? "HTML" : "Text"}
            </button>
          ))}
        </div>
      </div>
      {busy && <Spinner label="Rendering" />}
      {error && !(error instanceof ApiError && error.status === 422) ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {messageOf(error)}
        </p>
      ) : error ? (
        <p className="text-sm text-amber-800 dark:text-amber-300">
          Fix the errors beside the fields to see the preview.
        </p>
      ) : !rendered ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Write a subject and an HTML part to see the preview.
        </p>
      ) : (
        <div
          className="overflow-hidden rounded-md border border-slate-200 dark:border-slate-700"
          data-testid="preview"
        >
          <p className="border-b border-slate-200 bg-slate-50 px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-800">
            <span className="font-semibold">Subject:</span>{" "}
            <span data-testid="preview-subject">{rendered.subject}</span>
          </p>
          {view === "html" ? (
            <iframe
              title="HTML preview"
              sandbox=""
              srcDoc={rendered.html}
              className="h-80 w-full bg-white"
              data-testid="preview-html"
            />
          ) : (
            <pre className="h-80 overflow-auto p-3 text-sm whitespace-pre-wrap" data-testid="preview-text">
              {rendered.text}
            </pre>
          )}
        </div>
      )}
    </section>
  );
}
