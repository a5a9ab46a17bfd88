import { useEffect, useLayoutEffect, useRef, useState, type FormEvent } from "react";
import { useLocation, useNavigate, useParams } from "react-router-dom";
import { leadsApi, templatesApi } from "../../api/endpoints";
import { ApiError, messageOf } from "../../api/errors";
import type { Template } from "../../api/models";
import { useAuth } from "../../auth/AuthContext";
import { LiveAnalysis } from "../../components/Assistant/AnalysisView";
import { CodeField } from "../../components/Templates/CodeField";
import { PreviewPane } from "../../components/Templates/PreviewPane";
import { TestSendDialog } from "../../components/Templates/TestSendDialog";
import { VariablePicker } from "../../components/Templates/VariablePicker";
import {
  customVariables,
  insertAt,
  offsetOf,
  STANDARD_VARIABLES,
  type TemplateVariable,
} from "../../components/Templates/variables";
import { Badge } from "../../components/ui/Badge";
import { Button, ButtonLink } from "../../components/ui/Button";
import { Card, PageHeader } from "../../components/ui/Card";
import { TextField } from "../../components/ui/Field";
import { ErrorState, FormErrors, LoadingState } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { formatDateTime } from "../../lib/format";
import { useAsync } from "../../lib/hooks";

type Part = "subject" | "html" | "text";
const PARTS = ["name", "subject", "html", "text"];

/** Content handed over by another page (the assistant's draft generator) for a new template. */
export interface TemplateDraft {
  subject: string;
  html: string;
  text: string;
}

export function TemplateEditPage() {
  const { id } = useParams();
  const isNew = id === undefined || id === "new";
  const location = useLocation();
  const draft = isNew ? (location.state as { draft?: TemplateDraft } | null)?.draft : undefined;
  const loaded = useAsync(() => (isNew ? Promise.resolve(null) : templatesApi.get(Number(id))), [id]);
  if (loaded.error) return <ErrorState error={loaded.error} onRetry={loaded.reload} />;
  // While another template loads, the last one's data is still there: wait for the right one.
  if (loaded.data === undefined || loaded.loading) return <LoadingState />;
  return <Editor key={id ?? "new"} initial={loaded.data} draft={draft} />;
}

function Editor({ initial, draft }: { initial: Template | null; draft?: TemplateDraft }) {
  const { can } = useAuth();
  const writable = can("template:write");
  const toast = useToast();
  const navigate = useNavigate();
  const [saved, setSaved] = useState<Template | null>(initial);
  const [name, setName] = useState(initial?.name ?? (draft ? "Draft: " + draft.subject.slice(0, 80) : ""));
  const [subject, setSubject] = useState(initial?.subject ?? draft?.subject ?? "");
  const [html, setHtml] = useState(initial?.html ?? draft?.html ?? "");
  const [text, setText] = useState(
    initial ? (initial.text_generated ? "" : initial.text) : (draft?.text ?? ""),
  );
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [testing, setTesting] = useState(false);
  const refs = {
    subject: useRef<HTMLTextAreaElement>(null),
    html: useRef<HTMLTextAreaElement>(null),
    text: useRef<HTMLTextAreaElement>(null),
  };
  const lastPart = useRef<Part>("html");
  const [custom, setCustom] = useState<TemplateVariable[]>([]);

  useEffect(() => {
    const ctrl = new AbortController();
    leadsApi
      .list({ page_size: 200 }, ctrl.signal)
      .then((p) => setCustom(customVariables(p.items)))
      .catch(() => setCustom([]));
    return () => ctrl.abort();
  }, []);

  // Errors from the last save win; while typing, the live preview's checks show.
  const saveErrors = error instanceof ApiError ? error.fieldErrors : {};
  const fe = { ...live, ...saveErrors };
  const setters: Record<Part, (v: string) => void> = { subject: setSubject, html: setHtml, text: setText };
  const values: Record<Part, string> = { subject, html, text };
  const allVariables = [...STANDARD_VARIABLES, ...custom];

  const caretAfter = useRef<{ part: Part; caret: number } | null>(null);
  const pick = (v: TemplateVariable) => {
    const part = lastPart.current;
    const el = refs[part].current;
    const { text: next, caret } = insertAt(
      values[part],
      el?.selectionStart ?? values[part].length,
      el?.selectionEnd ?? values[part].length,
      v.snippet,
    );
    caretAfter.current = { part, caret };
    setters[part](next);
  };
  // The caret goes after an inserted variable once its text has rendered, before the next keystroke.
  useLayoutEffect(() => {
    const after = caretAfter.current;
    const el = after && refs[after.part].current;
    if (!after || !el) return;
    el.focus();
    el.setSelectionRange(after.caret, after.caret);
    caretAfter.current = null;
  });

  const goTo = (part: Part) => (line: number, column: number) => {
    const el = refs[part].current;
    if (!el) return;
    const at = offsetOf(values[part], line, column);
    el.focus();
    el.setSelectionRange(at, at);
  };

  const onLive = (problems: Record<string, string>) =>
    setLive((old) => (JSON.stringify(old) === JSON.stringify(problems) ? old : problems));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { name: name.trim(), subject, html, text };
      const t = saved ? await templatesApi.update(saved.id, body) : await templatesApi.create(body);
      const changed = !saved || t.version !== saved.version;
      setSaved(t);
      toast(changed ? `Saved as version ${t.version}` : "No changes to save");
      if (!saved) navigate(`/templates/${t.id}`, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (
      !saved ||
      !window.confirm(`Delete the template ${saved.name}? Campaigns that sent it keep their copy.`)
    )
      return;
    try {
      await templatesApi.remove(saved.id);
      toast("Template deleted");
      navigate("/templates");
    } catch (err) {
      toast(messageOf(err), "error");
    }
  };

  return (
    <div>
      <PageHeader
        title={saved ? saved.name : "New template"}
        actions={
          <>
            <ButtonLink to="/templates">All templates</ButtonLink>
            {saved && writable && <Button onClick={() => setTesting(true)}>Send test</Button>}
            {saved && writable && (
              <Button variant="danger" onClick={remove}>
                Delete
              </Button>
            )}
          </>
        }
      >
        {saved ? (
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone="indigo">Version {saved.version}</Badge>
            <span>Changed {formatDateTime(saved.updated_at)}</span>
          </span>
        ) : (
          "Write the content; the preview shows it for a real lead."
        )}
      </PageHeader>
      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <Card>
          <form onSubmit={submit} className="flex flex-col gap-4" noValidate aria-label="Template">
            <FormErrors error={error} placed={PARTS} />
            <TextField
              label="Name"
              value={name}
              error={fe.name}
              readOnly={!writable}
              onChange={(e) => setName(e.target.value)}
            />
            <CodeField
              ref={refs.subject}
              label="Subject"
              rows={1}
              value={subject}
              error={fe.subject}
              readOnly={!writable}
              onGoTo={goTo("subject")}
              variables={allVariables}
              onComplete={setSubject}
              onFocus={() => (lastPart.current = "subject")}
              onChange={(e) => setSubject(e.target.value.replace(/\r?\n/g, " "))}
            />
            <CodeField
              ref={refs.html}
              label="HTML"
              rows={14}
              value={html}
              error={fe.html}
              readOnly={!writable}
              onGoTo={goTo("html")}
              variables={allVariables}
              onComplete={setHtml}
              onFocus={() => (lastPart.current = "html")}
              onChange={(e) => setHtml(e.target.value)}
            />
            <CodeField
              ref={refs.text}
              label="Text"
              rows={6}
              value={text}
              error={fe.text}
              hint="Leave empty to write it from the HTML."
              readOnly={!writable}
              onGoTo={goTo("text")}
              variables={allVariables}
              onComplete={setText}
              onFocus={() => (lastPart.current = "text")}
              onChange={(e) => setText(e.target.value)}
            />
            {writable && (
              <div className="flex gap-2">
                <Button type="submit" variant="primary" busy={busy}>
                  {saved ? "Save" : "Create template"}
                </Button>
              </div>
            )}
          </form>
        </Card>
        <div className="flex flex-col gap-4">
          <Card title="Preview">
            <PreviewPane content={{ subject, html, text }} onProblems={onLive} />
          </Card>
          {can("ai:use") && (
            <Card title="Message check">
              <LiveAnalysis subject={subject} html={html} text={text} />
            </Card>
          )}
          <Card title="Variables">
            <VariablePicker
              standard={STANDARD_VARIABLES}
              custom={custom}
              onPick={pick}
              disabled={!writable}
            />
          </Card>
        </div>
      </div>
      {saved && writable && (
        <TestSendDialog
          open={testing}
          template={saved}
          unsaved={
            name.trim() !== saved.name ||
            subject !== saved.subject ||
            html !== saved.html ||
            text !== (saved.text_generated ? "" : saved.text)
          }
          onClose={() => setTesting(false)}
        />
      )}
    </div>
  );
}
