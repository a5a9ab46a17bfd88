// The assistant's provider calls: drafts and chat, streamed as Server-Sent Events.
import { ApiError } from "./errors";
import { postStream, type SseEvent } from "./sse";

export interface Draft {
  subject: string;
  html: string;
  text: string;
}
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}
export interface ToolChip {
  name: string;
  arguments: unknown;
  summary: string;
  refused?: boolean;
}
export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
}
export interface DraftRequest {
  brief: string;
  tone?: string;
  length?: "short" | "medium" | "long";
  lead_id?: number;
  template_id?: number;
}

interface Problem {
  status?: number;
  title?: string;
  detail?: string;
  type?: string;
}

/** An `error` event's problem document as an ApiError. */
export function problemError(data: unknown): ApiError {
  const p = ((data as { problem?: Problem })?.problem ?? {}) as Problem;
  return new ApiError({
    status: p.status ?? 502,
    title: p.title ?? "The assistant failed",
    detail: p.detail ?? "",
    type: p.type,
  });
}

function dispatch(
  e: SseEvent,
  on: { delta?: (t: string) => void; tool?: (t: ToolChip) => void; draft?: (d: Draft) => void },
  finish: (u: Usage | null) => void,
  fail: (err: ApiError) => void,
) {
  const data = e.data as Record<string, unknown>;
  if (e.event === "delta") on.delta?.(String(data?.text ?? ""));
  else if (e.event === "tool") on.tool?.(data as unknown as ToolChip);
  else if (e.event === "draft") on.draft?.(data as unknown as Draft);
  else if (e.event === "done") finish((data?.usage as Usage) ?? null);
  else if (e.event === "error") fail(problemError(data));
}

/** Streams a draft: `delta` while the model writes, then resolves with the checked draft. */
export async function streamDraft(
  request: DraftRequest,
  onDelta: (text: string) => void,
  signal?: AbortSignal,
): Promise<Draft> {
  let draft: Draft | null = null;
  let error: ApiError | null = null;
  await postStream(
    "/api/ai/draft",
    { ...request, stream: true },
    (e) =>
      dispatch(
        e,
        { delta: onDelta, draft: (d) => (draft = d) },
        () => undefined,
        (err) => (error = err),
      ),
    signal,
  );
  if (error) throw error;
  if (!draft)
    throw new ApiError({ status: 502, title: "No draft", detail: "The answer ended without a draft." });
  return draft;
}

/** Streams the assistant's answer to the conversation. */
export async function streamChat(
  messages: ChatMessage[],
  on: { delta: (text: string) => void; tool: (t: ToolChip) => void },
  signal?: AbortSignal,
): Promise<Usage | null> {
  let usage: Usage | null = null;
  let error: ApiError | null = null;
  await postStream(
    "/api/ai/chat",
    { messages },
    (e) =>
      dispatch(
        e,
        on,
        (u) => (usage = u),
        (err) => (error = err),
      ),
    signal,
  );
  if (error) throw error;
  return usage;
}
