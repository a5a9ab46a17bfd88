// Server-Sent Events over fetch: the assistant's answers are POSTs that stream (EventSource only
// does GET), so the body is read with a ReadableStream and split into events here.
import { api } from "./client";
import { ApiError, errorFromResponse } from "./errors";

export interface SseEvent {
  event: string;
  /** The event's data parsed as JSON (the API always sends JSON), or the raw text when it is not. */
  data: unknown;
}

/** Splits text into events; keeps an unfinished event until the rest arrives. */
export class SseParser {
  private buffer = "";
  private name = "";
  private data: string[] = [];

  feed(text: string): SseEvent[] {
    this.buffer += text;
    const out: SseEvent[] = [];
    for (;;) {
      const nl = this.buffer.search(/\r\n|\n|\r/);
      if (nl < 0) break;
      // A CR at the end may be the first half of a CRLF split between pieces: wait for the next.
      if (this.buffer[nl] === "\r" && nl === this.buffer.length - 1) break;
      const sep = this.buffer.startsWith("\r\n", nl) ? 2 : 1;
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + sep);
      this.line(line, out);
    }
    return out;
  }

  private line(line: string, out: SseEvent[]) {
    if (line === "") {
      if (this.data.length) {
        const text = this.data.join("\n");
        let data: unknown = text;
        try {
          data = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        out.push({ event: this.name || "message", data });
      }
      this.name = "";
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return; // a comment (keep-alive)
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.name = value;
    else if (field === "data") this.data.push(value);
  }
}

/** Reads a streamed body, calling `onEvent` for each event as it arrives. */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (e: SseEvent) => void) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const e of parser.feed(decoder.decode(value, { stream: true }))) onEvent(e);
  }
  for (const e of parser.feed(decoder.decode() + "\n\n")) onEvent(e);
}

/**
 * POSTs `body` to `path` asking for an event stream and hands each event to `onEvent`. A refusal
 * before the stream starts (422, 403, 429, 503) rejects with its ApiError.
 */
export async function postStream(
  path: string,
  body: unknown,
  onEvent: (e: SseEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const response = await api.send("post", path, {
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    signal,
  });
  if (!response.ok) throw await errorFromResponse(response);
  if (!response.body)
    throw new ApiError({ status: 0, title: "No stream", detail: "The answer had no body." });
  await readEvents(response.body, onEvent);
}
