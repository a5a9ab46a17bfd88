import { useEffect, useState } from "react";
import { advisorApi } from "../../api/endpoints";
import { messageOf } from "../../api/errors";
import { useDebounced } from "../../lib/hooks";
import { Badge } from "../ui/Badge";
import { Spinner } from "../ui/States";
import { countBySeverity, scoreVerdict, sortFindings, summariseCounts, type Analysis } from "./advice";

const TONE_BAR = {
  green: "bg-emerald-600 dark:bg-emerald-400",
  amber: "bg-amber-500 dark:bg-amber-400",
  red: "bg-red-600 dark:bg-red-400",
};
const SEVERITY_TONE = { error: "red", warning: "amber", info: "gray" } as const;

/** A check's score as a gauge, its findings (errors first) and the measured facts. */
export function AnalysisView({ analysis }: { analysis: Analysis }) {
  const verdict = scoreVerdict(analysis.score);
  const findings = sortFindings(analysis.findings);
  const counts = countBySeverity(findings);
  const f = analysis.facts;
  return (
    <div className="flex flex-col gap-3" data-testid="analysis">
      <div>
        <div className="mb-1 flex items-baseline justify-between">
          <span className="text-sm font-medium">{verdict.label}</span>
          <span className="text-2xl font-semibold tabular-nums" aria-hidden="true">
            {analysis.score}
          </span>
        </div>
        <div
          role="meter"
          aria-label="Message score"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={analysis.score}
          aria-valuetext={`${analysis.score} of 100: ${verdict.label}`}
          className="h-2 overflow-hidden rounded bg-slate-200 dark:bg-slate-700"
        >
          <div className={`h-full ${TONE_BAR[verdict.tone]}`} style={{ width: `${analysis.score}%` }} />
        </div>
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{summariseCounts(counts)}</p>
      </div>
      {findings.length === 0 ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">No problems found.</p>
      ) : (
        <ul aria-label="Findings" className="flex flex-col gap-2">
          {findings.map((x, i) => (
            <li key={i} className="flex items-start gap-2 text-sm">
              <Badge tone={SEVERITY_TONE[x.severity]}>{x.severity}</Badge>
              <span>
                <span className="sr-only">{x.rule}: </span>
                {x.message}
              </span>
            </li>
          ))}
        </ul>
      )}
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs text-slate-700 sm:grid-cols-3 dark:text-slate-300">
        <Fact label="Subject" value={`${f.subject_length} chars`} />
        <Fact label="Words" value={f.word_count} />
        <Fact label="Links" value={f.link_count} />
        <Fact label="Images" value={f.image_count} />
        <Fact label="Reading grade" value={f.readability_grade.toFixed(1)} />
        <Fact label="Merge tags" value={f.merge_tags.length ? f.merge_tags.join(", ") : "none"} />
      </dl>
    </div>
  );
}

function Fact({ label, value }: { label: string; value: string | number }) {
  return (
    <div className="flex gap-1">
      <dt className="text-slate-500 dark:text-slate-400">{label}:</dt>
      <dd className="font-medium">{value}</dd>
    </div>
  );
}

/** Checks content as it is typed, half a second after the last keystroke (the template editor). */
export function LiveAnalysis({ subject, html, text }: { subject: string; html: string; text: string }) {
  const key = useDebounced(JSON.stringify({ subject, html, text }), 500);
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const draft = JSON.parse(key) as { subject: string; html: string; text: string };
    if (!draft.html.trim() && !draft.text.trim()) {
      setAnalysis(null);
      setError(null);
      return;
    }
    const ctrl = new AbortController();
    advisorApi
      .analyze(draft, ctrl.signal)
      .then((a) => {
        setAnalysis(a);
        setError(null);
      })
      .catch((e) => {
        if (!ctrl.signal.aborted) setError(messageOf(e));
      });
    return () => ctrl.abort();
  }, [key]);
  if (error) return <p className="text-sm text-red-700 dark:text-red-400">{error}</p>;
  if (!analysis)
    return key.includes('"html":""') && key.includes('"text":""') ? (
      <p className="text-sm text-slate-600 dark:text-slate-400">Write the message to check it.</p>
    ) : (
      <Spinner label="Checking" />
    );
  return <AnalysisView analysis={analysis} />;
}
