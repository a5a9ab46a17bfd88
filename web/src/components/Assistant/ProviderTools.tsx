import { useEffect, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { streamChat, streamDraft, type ChatMessage, type ToolChip } from "../../api/ai";
import { settingsApi } from "../../api/endpoints";
import { ApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthContext";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { SelectField, TextAreaField, TextField } from "../ui/Field";
import { InlineError } from "../ui/States";

/** Whether a provider is configured: known from the settings (admins), or learnt from a 503. */
type ProviderState = "unknown" | "configured" | "unconfigured";

const isUnconfigured = (e: unknown) =>
  e instanceof ApiError && e.status === 503 && e.detail.includes("HERALD_AI");

/** What the page says when there is no provider. */
export function ConfigureProvider() {
  return (
    <Card title="Connect an AI provider">
      <div className="space-y-2 text-sm" role="status" aria-label="No AI provider">
        <p>
          Drafting and chat need an OpenAI-compatible chat-completions provider (OpenAI, Ollama, vLLM,
          llama.cpp&apos;s server). None is configured yet.
        </p>
        <p>
          Set <code>HERALD_AI_BASE_URL</code> and <code>HERALD_AI_MODEL</code> (and{" "}
          <code>HERALD_AI_API_KEY</code> if the provider needs one) and restart Herald, or an administrator
          enters them in <strong>Settings → AI</strong>.
        </p>
        <p>The built-in tools below work without a provider.</p>
      </div>
    </Card>
  );
}

/** Chat and the draft generator, through the configured AI provider. */
export function ProviderTools() {
  const { can } = useAuth();
  const [provider, setProvider] = useState<ProviderState>("unknown");
  const admin = can("settings:manage");

  useEffect(() => {
    if (!admin) return;
    let live = true;
    settingsApi
      .get()
      .then((s) => {
        if (live && s.ai) setProvider(s.ai.configured ? "configured" : "unconfigured");
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [admin]);

  const onError = (e: unknown) => {
    if (isUnconfigured(e)) setProvider("unconfigured");
  };

  if (provider === "unconfigured") return <ConfigureProvider />;
  return (
    <section aria-label="Assistant" className="grid gap-4 xl:grid-cols-2">
      <DraftGenerator onError={onError} />
      <Chat onError={onError} />
    </section>
  );
}

function DraftGenerator({ onError }: { onError: (e: unknown) => void }) {
  const navigate = useNavigate();
  const [brief, setBrief] = useState("");
  const [tone, setTone] = useState("friendly");
  const [length, setLength] = useState<"short" | "medium" | "long">("medium");
  const [streamed, setStreamed] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    abort.current?.abort();
    const ctrl = new AbortController();
    abort.current = ctrl;
    setBusy(true);
    setError(null);
    setStreamed("");
    try {
      const draft = await streamDraft(
        { brief: brief.trim(), tone, length },
        (t) => setStreamed((s) => s + t),
        ctrl.signal,
      );
      navigate("/templates/new", { state: { draft } });
    } catch (err) {
      if (ctrl.signal.aborted) return;
      setError(err);
      onError(err);
    } finally {
      if (!ctrl.signal.aborted) setBusy(false);
    }
  };

  const fieldErrors = error instanceof ApiError ? error.fieldErrors : {};
  return (
    <Card title="Draft an e-mail">
      <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Draft an e-mail" noValidate>
        <TextAreaField
          label="Brief"
          rows={4}
          value={brief}
          error={fieldErrors.brief}
          placeholder="Introduce our new reporting feature to customers who asked for exports"
          onChange={(e) => setBrief(e.target.value)}
        />
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField
            label="Tone"
            value={tone}
            error={fieldErrors.tone}
            onChange={(e) => setTone(e.target.value)}
          />
          <SelectField
            label="Length"
            value={length}
            error={fieldErrors.length}
            onChange={(e) => setLength(e.target.value as "short" | "medium" | "long")}
          >
            <option value="short">Short</option>
            <option value="medium">Medium</option>
            <option value="long">Long</option>
          </SelectField>
        </div>
        <div>
          <Button type="submit" variant="primary" busy={busy} disabled={!brief.trim()}>
            Write draft
          </Button>
        </div>
        {error !== null && !(error instanceof ApiError && Object.keys(error.fieldErrors).length) && (
          <InlineError error={error} />
        )}
        {(busy || streamed) && (
          <pre
            aria-label="Draft so far"
            aria-live="polite"
            className="max-h-72 overflow-auto whitespace-pre-wrap rounded-md bg-slate-50 p-3 text-xs dark:bg-slate-950"
          >
            {streamed || "…"}
          </pre>
        )}
      </form>
    </Card>
  );
}

interface Turn extends ChatMessage {
  tools?: ToolChip[];
}

function Chat({ onError }: { onError: (e: unknown) => void }) {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [input, setInput] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const question = input.trim();
    if (!question || busy) return;
    const history: ChatMessage[] = [
      ...turns.filter((t) => t.content).map(({ role, content }) => ({ role, content })),
      { role: "user", content: question },
    ];
    setTurns([...history, { role: "assistant", content: "", tools: [] }]);
    setInput("");
    setBusy(true);
    setError(null);
    const ctrl = new AbortController();
    abort.current = ctrl;
    const updateLast = (fn: (t: Turn) => Turn) =>
      setTurns((all) => [...all.slice(0, -1), fn(all[all.length - 1])]);
    try {
      await streamChat(
        history,
        {
          delta: (t) => updateLast((last) => ({ ...last, content: last.content + t })),
          tool: (chip) => updateLast((last) => ({ ...last, tools: [...(last.tools ?? []), chip] })),
        },
        ctrl.signal,
      );
    } catch (err) {
      if (ctrl.signal.aborted) return;
      setError(err);
      onError(err);
    } finally {
      if (!ctrl.signal.aborted) setBusy(false);
    }
  };

  return (
    <Card title="Ask about your leads and campaigns">
      <ol
        className="mb-3 flex max-h-96 flex-col gap-3 overflow-auto"
        aria-label="Conversation"
        aria-live="polite"
      >
        {turns.map((t, i) => (
          <li key={i} className={t.role === "user" ? "self-end text-right" : "self-start"}>
            {t.tools && t.tools.length > 0 && (
              <div className="mb-1 flex flex-wrap gap-1" aria-label="Look-ups">
                {t.tools.map((chip, j) => (
                  <span key={j} title={JSON.stringify(chip.arguments)}>
                    <Badge tone={chip.refused ? "amber" : "indigo"}>{chip.summary || chip.name}</Badge>
                  </span>
                ))}
              </div>
            )}
            <p
              className={`inline-block whitespace-pre-wrap rounded-lg px-3 py-2 text-sm ${
                t.role === "user"
                  ? "bg-indigo-600 text-white"
                  : "bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-100"
              }`}
            >
              {t.content || (busy && i === turns.length - 1 ? "…" : "")}
            </p>
          </li>
        ))}
      </ol>
      {error !== null && <InlineError error={error} />}
      <form onSubmit={send} className="flex gap-2" aria-label="Ask the assistant">
        <TextField
          label="Question"
          className="flex-1"
          value={input}
          placeholder="How many new leads came in this week?"
          onChange={(e) => setInput(e.target.value)}
        />
        <div className="self-end">
          <Button type="submit" variant="primary" busy={busy} disabled={!input.trim()}>
            Ask
          </Button>
        </div>
      </form>
    </Card>
  );
}
