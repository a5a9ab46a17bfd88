import { useEffect, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { leadsApi } from "../../api/endpoints";
import { ApiError, messageOf } from "../../api/errors";
import type { ImportJob } from "../../api/models";
import {
  customKey,
  IMPORT_FIELDS,
  mappingParam,
  parseCsvPreview,
  type CsvPreview,
} from "../../components/Leads/csvPreview";
import { StatusBadge } from "../../components/ui/Badge";
import { Button, ButtonLink } from "../../components/ui/Button";
import { Card, PageHeader, Stat } from "../../components/ui/Card";
import { SelectField, TextField } from "../../components/ui/Field";
import { ProgressBar } from "../../components/ui/ProgressBar";
import { ErrorState, FormErrors, LoadingState } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { formatBytes, formatNumber, humanize } from "../../lib/format";
import { useInterval } from "../../lib/hooks";

const POLL_MS = 1000;
const PREVIEW_BYTES = 64 * 1024;

export function ImportPage() {
  const [params, setParams] = useSearchParams();
  const jobId = params.get("job");
  return (
    <div>
      <PageHeader title="Import leads" actions={<ButtonLink to="/leads">Back to leads</ButtonLink>}>
        A CSV with a header row; comma, semicolon, tab or pipe delimited. Unknown columns become custom
        fields.
      </PageHeader>
      {jobId ? (
        <ImportProgress jobId={jobId} onAnother={() => setParams({})} />
      ) : (
        <ImportForm onStarted={(id) => setParams({ job: id })} />
      )}
    </div>
  );
}

function ImportForm({ onStarted }: { onStarted: (jobId: string) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [choices, setChoices] = useState<Record<string, string>>({});
  const [mode, setMode] = useState("create_only");
  const [tag, setTag] = useState("");
  const [list, setList] = useState("");
  const [uploaded, setUploaded] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const fe = error instanceof ApiError ? error.fieldErrors : {};

  const choose = async (f: File | null) => {
    setFile(f);
    setPreview(null);
    setPreviewError(null);
    setChoices({});
    setError(null);
    if (!f) return;
    try {
      const text = await f.slice(0, PREVIEW_BYTES).text();
      const p = parseCsvPreview(text, 5, f.size <= PREVIEW_BYTES);
      if (!p.header.length) setPreviewError("The file looks empty: no header row.");
      setPreview(p);
    } catch (e) {
      setPreviewError(messageOf(e));
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setError(
        new ApiError({
          status: 400,
          title: "No file",
          detail: "Choose a CSV file first.",
          fieldErrors: { file: "Choose a CSV file first." },
        }),
      );
      return;
    }
    setError(null);
    setUploaded(0);
    try {
      const r = await leadsApi.startImport(
        file,
        { mode, tag: tag.trim(), list: list.trim(), mapping: mappingParam(choices), filename: file.name },
        (sent) => setUploaded(sent),
      );
      onStarted(String(r.job_id));
    } catch (err) {
      setError(err);
      setUploaded(null);
    }
  };

  const uploading = uploaded !== null;
  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <Card title="1. Choose the file">
        <label htmlFor="csv-file" className="mb-1 block text-sm font-medium">
          CSV file
        </label>
        <input
          id="csv-file"
          type="file"
          accept=".csv,.tsv,.txt,text/csv"
          onChange={(e) => void choose(e.target.files?.[0] ?? null)}
          aria-invalid={fe.file ? true : undefined}
          className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-indigo-600 file:px-3 file:py-2 file:text-white hover:file:bg-indigo-700"
        />
        {fe.file && <p className="mt-1 text-sm text-red-700 dark:text-red-400">{fe.file}</p>}
        {file && (
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            {file.name} · {formatBytes(file.size)}
          </p>
        )}
        {previewError && (
          <p className="mt-2 text-sm text-red-700 dark:text-red-400" role="alert">
            {previewError}
          </p>
        )}
      </Card>

      {preview && preview.header.length > 0 && (
        <Card title="2. Check the columns">
          <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
            Delimiter: <strong>{preview.delimiter === "\t" ? "tab" : preview.delimiter}</strong>. “Automatic”
            lets Herald recognise usual headers (E-mail, First Name, Company Name, …); anything it does not
            know becomes a custom field.
          </p>
          <div
            role="region"
            aria-label="Column mapping (scrollable)"
            tabIndex={0}
            className="overflow-x-auto"
          >
            <table className="min-w-full text-sm">
              <caption className="sr-only">Column mapping and the first rows of the file</caption>
              <thead>
                <tr className="border-b border-slate-200 dark:border-slate-700">
                  <th scope="col" className="px-2 py-2 text-left">
                    Column
                  </th>
                  <th scope="col" className="px-2 py-2 text-left">
                    Import as
                  </th>
                  <th scope="col" className="px-2 py-2 text-left">
                    First values
                  </th>
                </tr>
              </thead>
              <tbody>
                {preview.header.map((h, i) => (
                  <tr key={`${h}-${i}`} className="border-b border-slate-100 dark:border-slate-800">
                    <th scope="row" className="px-2 py-2 text-left font-medium">
                      {h || <em>(no name)</em>}
                    </th>
                    <td className="px-2 py-2">
                      <label className="sr-only" htmlFor={`map-${i}`}>
                        Import {h} as
                      </label>
                      <select
                        id={`map-${i}`}
                        className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900"
                        value={choices[h] ?? "auto"}
                        onChange={(e) => setChoices({ ...choices, [h]: e.target.value })}
                      >
                        <option value="auto">Automatic</option>
                        {IMPORT_FIELDS.map((f) => (
                          <option key={f} value={f}>
                            {f === "name" ? "Full name (split)" : humanize(f)}
                          </option>
                        ))}
                        <option value="custom">Custom field “{customKey(h)}”</option>
                        <option value="ignore">Ignore</option>
                      </select>
                    </td>
                    <td className="max-w-xs truncate px-2 py-2 text-slate-700 dark:text-slate-300">
                      {preview.rows
                        .map((r) => r[i] ?? "")
                        .filter(Boolean)
                        .slice(0, 3)
                        .join(" · ") || "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {fe.mapping && (
            <p className="mt-2 text-sm text-red-700 dark:text-red-400" role="alert">
              {fe.mapping}
            </p>
          )}
        </Card>
      )}

      <Card title={preview ? "3. Options" : "2. Options"}>
        <div className="grid gap-4 sm:grid-cols-3">
          <SelectField
            label="When an email already exists"
            value={mode}
            error={fe.mode}
            onChange={(e) => setMode(e.target.value)}
          >
            <option value="create_only">Skip it (create new leads only)</option>
            <option value="upsert">Update it, and create new ones</option>
            <option value="update_only">Update it, create nothing</option>
          </SelectField>
          <TextField
            label="Tag every imported lead"
            hint="Comma-separated"
            value={tag}
            error={fe.tag}
            onChange={(e) => setTag(e.target.value)}
          />
          <TextField
            label="Add to a list"
            hint="Tagged, with a segment of that name"
            value={list}
            error={fe.list}
            onChange={(e) => setList(e.target.value)}
          />
        </div>
      </Card>

      <FormErrors error={error} placed={["file", "mapping", "mode", "tag", "list"]} />
      {uploading && file && (
        <ProgressBar
          label={`Uploading ${file.name}`}
          value={file.size ? (uploaded! / file.size) * 100 : 100}
        />
      )}
      <div>
        <Button type="submit" variant="primary" busy={uploading} disabled={!file}>
          Start the import
        </Button>
      </div>
    </form>
  );
}

function ImportProgress({ jobId, onAnother }: { jobId: string; onAnother: () => void }) {
  const toast = useToast();
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const done = job?.status === "completed" || job?.status === "failed";

  const poll = async () => {
    try {
      setJob(await leadsApi.importStatus(jobId));
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    void poll();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jobId]);
  // Live progress: poll every second until the job settles.
  useInterval(() => void poll(), POLL_MS, !done && !(error instanceof ApiError && error.status === 404));

  if (!job && error) return <ErrorState error={error} onRetry={() => void poll()} />;
  if (!job) return <LoadingState label="Loading the import" />;

  const tone = job.status === "failed" ? "red" : job.status === "completed" ? "green" : "indigo";
  return (
    <div className="flex flex-col gap-4">
      <Card
        title={
          <span className="flex items-center gap-2">
            Import #{job.job_id} {job.filename ? `· ${job.filename}` : ""} <StatusBadge status={job.status} />
          </span>
        }
        actions={
          done ? (
            <>
              <Button onClick={onAnother}>Import another file</Button>
              <ButtonLink to="/leads" variant="primary">
                See the leads
              </ButtonLink>
            </>
          ) : undefined
        }
      >
        <div aria-live="polite" data-testid="import-progress">
          <ProgressBar
            label={done ? (job.status === "completed" ? "Completed" : "Failed") : "Importing"}
            value={job.percent}
            tone={tone}
          />
        </div>
        {job.error && (
          <p className="mt-3 text-sm text-red-700 dark:text-red-400" role="alert">
            {job.error}
          </p>
        )}
        {error != null && (
          <p className="mt-3 text-sm text-amber-800 dark:text-amber-300">
            Could not refresh: {messageOf(error)}
          </p>
        )}
      </Card>
      <div className="grid grid-cols-2 gap-4 sm:grid-cols-5">
        <Stat label="Rows read" value={formatNumber(job.rows)} />
        <Stat label="Created" value={formatNumber(job.created)} />
        <Stat label="Updated" value={formatNumber(job.updated)} />
        <Stat label="Skipped" value={formatNumber(job.skipped)} />
        <Stat label="Failed" value={formatNumber(job.failed)} />
      </div>
      <Card
        title="Row report"
        actions={
          job.errors_total > 0 ? (
            <Button
              size="sm"
              onClick={() => leadsApi.importErrors(jobId).catch((e) => toast(messageOf(e), "error"))}
            >
              Download the full report (CSV)
            </Button>
          ) : undefined
        }
      >
        {job.errors.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {done ? "Every row was imported." : "No problem so far."}
          </p>
        ) : (
          <div
            role="region"
            aria-label="Row report (scrollable)"
            tabIndex={0}
            className="max-h-96 overflow-auto"
          >
            <table className="min-w-full text-sm">
              <caption className="mb-2 text-left text-slate-600 dark:text-slate-400">
                {formatNumber(job.errors_total)} rows skipped or failed
                {job.errors_total > job.errors.length ? `; the first ${job.errors.length} are shown` : ""}.
              </caption>
              <thead className="sticky top-0 bg-white dark:bg-slate-900">
                <tr className="border-b border-slate-200 dark:border-slate-700">
                  <th scope="col" className="px-2 py-1 text-left">
                    Line
                  </th>
                  <th scope="col" className="px-2 py-1 text-left">
                    Kind
                  </th>
                  <th scope="col" className="px-2 py-1 text-left">
                    Reason
                  </th>
                </tr>
              </thead>
              <tbody>
                {job.errors.map((e, i) => (
                  <tr key={i} className="border-b border-slate-100 dark:border-slate-800">
                    <td className="px-2 py-1 tabular-nums">{e.line}</td>
                    <td className="px-2 py-1">{e.kind}</td>
                    <td className="px-2 py-1">{e.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
