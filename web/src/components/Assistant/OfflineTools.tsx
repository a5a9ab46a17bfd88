import { useState, type FormEvent } from "react";
import { advisorApi } from "../../api/endpoints";
import { useAuth } from "../../auth/AuthContext";
import { useInterval } from "../../lib/hooks";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { TextAreaField, TextField } from "../ui/Field";
import { ProgressBar } from "../ui/ProgressBar";
import { InlineError } from "../ui/States";
import { describeResult, jobFinished, type Analysis, type ScoreJob } from "./advice";
import { AnalysisView } from "./AnalysisView";
import { BestSendTime } from "./BestSendTime";

/** The built-in tools that need no provider: the message checker, lead scoring and the best send time. */
export function OfflineTools() {
  const { can } = useAuth();
  if (!can("ai:use")) return null;
  return (
    <section aria-label="Built-in tools" className="flex flex-col gap-4">
      <h2 className="text-lg font-semibold">Built-in tools</h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        These work without an AI provider: they run on this server, on your own data.
      </p>
      <div className="grid gap-4 xl:grid-cols-2">
        <MessageChecker />
        <LeadScoring />
        <BestSendTime />
      </div>
    </section>
  );
}

function MessageChecker() {
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const check = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // HTML when it looks like markup, else plain text.
      const part = /<[a-z!/][^>]*>/i.test(body) ? { html: body } : { text: body };
      setAnalysis(await advisorApi.analyze({ subject, ...part }));
    } catch (err) {
      setError(err);
      setAnalysis(null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Message checker">
      <form onSubmit={check} className="flex flex-col gap-3" aria-label="Message checker" noValidate>
        <TextField label="Subject" value={subject} onChange={(e) => setSubject(e.target.value)} />
        <TextAreaField
          label="Body"
          rows={6}
          value={body}
          hint="HTML or plain text; merge tags such as {{first_name}} are checked too."
          onChange={(e) => setBody(e.target.value)}
        />
        <div>
          <Button type="submit" variant="primary" busy={busy} disabled={!body.trim()}>
            Check message
          </Button>
        </div>
      </form>
      <div className="mt-4">
        {error ? <InlineError error={error} /> : analysis && <AnalysisView analysis={analysis} />}
      </div>
    </Card>
  );
}

function LeadScoring() {
  const [job, setJob] = useState<ScoreJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const running = job !== null && !jobFinished(job);
  useInterval(
    () => {
      if (!job) return;
      advisorApi
        .scoreStatus(job.job_id)
        .then(setJob)
        .catch((e) => setError(e));
    },
    1000,
    running,
  );
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const started = await advisorApi.scoreLeads();
      setJob({ job_id: started.job_id, status: "queued", percent: 0, result: null, error: null });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Lead scoring">
      <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">
        Scores every lead from 0 to 100 from your own history: title seniority, company details, opens, clicks
        and how recent they are. With enough replies it fits a model and checks it on leads it did not see;
        otherwise it uses transparent rules. Each lead keeps its top reasons.
      </p>
      <Button variant="primary" onClick={start} busy={busy || running}>
        Score leads
      </Button>
      <div className="mt-4 flex flex-col gap-2" aria-live="polite">
        {error ? <InlineError error={error} /> : null}
        {job && !job.result && job.status !== "failed" && job.status !== "dead" && (
          <ProgressBar value={job.percent} label={`Scoring (${job.status})`} />
        )}
        {job?.error && jobFinished(job) && job.status !== "completed" && (
          <p className="text-sm text-red-700 dark:text-red-400">The run failed: {job.error}</p>
        )}
        {job?.result && (
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm" aria-label="Scoring result">
            <dt className="text-slate-600 dark:text-slate-400">Model</dt>
            <dd className="font-medium">
              {job.result.model === "logistic" ? "Logistic regression" : "Rules"}
            </dd>
            <dt className="text-slate-600 dark:text-slate-400">Leads scored</dt>
            <dd className="font-medium tabular-nums">{job.result.leads_scored.toLocaleString("en-US")}</dd>
            <dt className="text-slate-600 dark:text-slate-400">Held-out AUC</dt>
            <dd className="font-medium tabular-nums">
              {job.result.auc !== undefined ? job.result.auc.toFixed(3) : "—"}
            </dd>
            <dd className="col-span-2 text-slate-700 dark:text-slate-300">{describeResult(job.result)}</dd>
          </dl>
        )}
      </div>
    </Card>
  );
}
