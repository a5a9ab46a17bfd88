import { afterEach, describe, expect, it, vi } from "vitest";
import { streamChat, streamDraft } from "./ai";
import { api } from "./client";
import { ApiError } from "./errors";
import { readEvents, SseParser } from "./sse";
import { fakeFetch, json } from "../test/fakeServer";

function streamOf(pieces: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const p of pieces) controller.enqueue(enc.encode(p));
      controller.close();
    },
  });
}

function sse(pieces: string[]) {
  return new Response(streamOf(pieces), { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  api.clear();
});

describe("SseParser", () => {
  it("splits events whatever the pieces, with CRLF, comments and multi-line data", () => {
    const text =
      ': keep-alive\r\nevent: delta\r\ndata: {"text":"Hel"}\r\n\r\nevent: note\ndata: one\ndata: two\n\ndata: {"x":1}\n\n';
    for (const size of [1, 2, 5, 1000]) {
      const p = new SseParser();
      const out = [];
      for (let i = 0; i < text.length; i += size) out.push(...p.feed(text.slice(i, i + size)));
      expect(out).toEqual([
        { event: "delta", data: { text: "Hel" } },
        { event: "note", data: "one\ntwo" },
        { event: "message", data: { x: 1 } },
      ]);
    }
  });

  it("keeps an event until its blank line arrives", () => {
    const p = new SseParser();
    expect(p.feed('event: delta\ndata: {"text":"a"}\n')).toEqual([]);
    expect(p.feed("\n")).toEqual([{ event: "delta", data: { text: "a" } }]);
  });

  it("reads a stream split inside a multi-byte character", async () => {
    const bytes = new TextEncoder().encode('event: delta\ndata: {"text":"héllo"}\n\n');
    const cut = bytes.indexOf(0xc3) + 1;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, cut));
        c.enqueue(bytes.slice(cut));
        c.close();
      },
    });
    const seen: unknown[] = [];
    await readEvents(body, (e) => seen.push(e.data));
    expect(seen).toEqual([{ text: "héllo" }]);
  });
});

describe("streamed assistant calls", () => {
  it("a draft streams its text, then resolves with the checked draft", async () => {
    const server = fakeFetch({
      "POST /api/ai/draft": () =>
        sse([
          'event: delta\ndata: {"text":"Subject: Hi"}\n\n',
          'event: delta\ndata: {"text":"\\n\\n<p>Body</p>"}\n\nevent: draft\ndata: {"subject":"Hi","html":"<p>Body</p>","text":"Body"}\n\n',
          'event: done\ndata: {"usage":{"total_tokens":9}}\n\n',
        ]),
    });
    vi.stubGlobal("fetch", server.fetch);
    api.adopt({ token: "t", refresh_token: "r", expires_in: 900 });
    const deltas: string[] = [];
    const draft = await streamDraft({ brief: "hello", length: "short" }, (t) => deltas.push(t));
    expect(deltas.join("")).toBe("Subject: Hi\n\n<p>Body</p>");
    expect(draft).toEqual({ subject: "Hi", html: "<p>Body</p>", text: "Body" });
    expect(server.calls[0].body).toEqual({ brief: "hello", length: "short", stream: true });
  });

  it("an error event rejects with its problem", async () => {
    vi.stubGlobal(
      "fetch",
      fakeFetch({
        "POST /api/ai/chat": () =>
          sse([
            'event: tool\ndata: {"name":"count_leads","arguments":{},"summary":"counted 2 leads"}\n\n',
            'event: error\ndata: {"problem":{"status":504,"title":"Gateway Timeout","detail":"The AI provider sent nothing"}}\n\n',
          ]),
      }).fetch,
    );
    api.adopt({ token: "t", refresh_token: "r", expires_in: 900 });
    const tools: string[] = [];
    const p = streamChat([{ role: "user", content: "q" }], {
      delta: () => undefined,
      tool: (t) => tools.push(t.summary),
    });
    await expect(p).rejects.toMatchObject({ status: 504, detail: "The AI provider sent nothing" });
    expect(tools).toEqual(["counted 2 leads"]);
  });

  it("a refusal before the stream is an ApiError with the problem's fields", async () => {
    vi.stubGlobal(
      "fetch",
      fakeFetch({
        "POST /api/ai/draft": () =>
          json(422, {
            status: 422,
            title: "Validation Failed",
            errors: [{ field: "brief", message: "is required" }],
          }),
      }).fetch,
    );
    api.adopt({ token: "t", refresh_token: "r", expires_in: 900 });
    const err = await streamDraft({ brief: "" }, () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).fieldErrors).toEqual({ brief: "is required" });
  });
});
