// The AI provider: any OpenAI-compatible chat-completions endpoint. The API key is write-only:
// the server says whether one is set, never what it is.
import { useState } from "react";
import { settingsApi } from "../../api/endpoints";
import { ApiError } from "../../api/errors";
import type { MailSettings } from "../../api/models";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { TextField } from "../ui/Field";
import { FormErrors } from "../ui/States";
import { useToast } from "../ui/Toast";

const PLACED = ["ai.base_url", "ai.model", "ai.api_key", "ai.daily_token_budget"];

export function AiPanel({
  settings,
  onSaved,
}: {
  settings: MailSettings;
  onSaved: (s: MailSettings) => void;
}) {
  const toast = useToast();
  const ai = settings.ai;
  const [baseUrl, setBaseUrl] = useState(ai?.base_url ?? "");
  const [model, setModel] = useState(ai?.model ?? "");
  const [apiKey, setApiKey] = useState("");
  const [budget, setBudget] = useState(String(ai?.daily_token_budget ?? 200000));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fe = error instanceof ApiError ? error.fieldErrors : {};

  const save = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      onSaved(await settingsApi.update({ ai: body }));
      setApiKey("");
      toast("AI settings saved");
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title="AI provider"
      actions={
        ai?.configured ? <Badge tone="green">Configured</Badge> : <Badge tone="amber">Not configured</Badge>
      }
    >
      <form
        className="flex flex-col gap-3"
        aria-label="AI provider"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const body: Record<string, unknown> = {
            base_url: baseUrl.trim() || null,
            model: model.trim() || null,
            daily_token_budget: Number(budget),
          };
          if (apiKey) body.api_key = apiKey;
          void save(body);
        }}
      >
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Any OpenAI-compatible chat-completions endpoint: OpenAI, Ollama, vLLM, llama.cpp&apos;s server.
          Empty fields fall back to <code>HERALD_AI_BASE_URL</code>, <code>HERALD_AI_MODEL</code> and{" "}
          <code>HERALD_AI_API_KEY</code>.
        </p>
        <FormErrors error={error} placed={PLACED} />
        <TextField
          label="Base URL"
          value={baseUrl}
          placeholder="https://api.openai.com/v1"
          error={fe["ai.base_url"]}
          onChange={(e) => setBaseUrl(e.target.value)}
        />
        <TextField
          label="Model"
          value={model}
          placeholder="gpt-4o-mini"
          error={fe["ai.model"]}
          onChange={(e) => setModel(e.target.value)}
        />
        <TextField
          label="API key"
          type="password"
          autoComplete="off"
          value={apiKey}
          placeholder={ai?.api_key_set ? "set — type to replace" : "not set"}
          hint={ai?.api_key_set ? "A key is set. It is stored encrypted and never shown." : "No key is set."}
          error={fe["ai.api_key"]}
          onChange={(e) => setApiKey(e.target.value)}
        />
        <TextField
          label="Daily token budget per user"
          type="number"
          min={0}
          value={budget}
          error={fe["ai.daily_token_budget"]}
          onChange={(e) => setBudget(e.target.value)}
        />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant="primary" busy={busy}>
            Save AI settings
          </Button>
          {ai?.api_key_set && (
            <Button onClick={() => void save({ api_key: null })} disabled={busy}>
              Remove key
            </Button>
          )}
        </div>
      </form>
    </Card>
  );
}
