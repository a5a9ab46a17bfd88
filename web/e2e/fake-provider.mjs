// A local stand-in for an OpenAI-compatible provider, for the end-to-end suite: POST
// /v1/chat/completions answers a draft, as Server-Sent Events chunks written with pauses when the
// request asks for a stream, else as one chat.completion.
import http from "node:http";

export const DRAFT_PIECES = [
  "Subject: Meet Herald's new reports, {{first_name|there}}\n\n",
  "<p>Hi {{first_name|there}},</p>\n",
  "<p>Your campaign results now fit on one page: ",
  "opens, clicks and replies side by side.</p>\n",
  "<p>Reply to this e-mail and we will set it up for {{company|your team}}.</p>\n",
  '<script>alert("model output is untrusted")</script>',
];

function chunk(delta, finish = null) {
  return {
    id: "chatcmpl-e2e",
    object: "chat.completion.chunk",
    model: "e2e-model",
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

export async function startFakeProvider({ pauseMs = 100 } = {}) {
  const requests = [];
  // A streamed draft holds its last piece until release(): a test sees the text arrive, then lets it end.
  let release;
  const released = new Promise((resolve) => (release = resolve));
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", async () => {
      const parsed = JSON.parse(body || "{}");
      requests.push({ url: req.url, auth: req.headers.authorization, body: parsed });
      if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
        res.writeHead(404, { "Content-Type": "application/json" }).end('{"error":{"message":"not found"}}');
        return;
      }
      if (!parsed.stream) {
        const content = "Subject: Probe\n\n<p>probe</p>";
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(
          JSON.stringify({
            id: "chatcmpl-e2e",
            object: "chat.completion",
            model: "e2e-model",
            choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
            usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
          }),
        );
        return;
      }
      res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
      res.write(`data: ${JSON.stringify(chunk({ role: "assistant", content: "" }))}\n\n`);
      for (const [i, piece] of DRAFT_PIECES.entries()) {
        await new Promise((r) => setTimeout(r, pauseMs));
        if (i === DRAFT_PIECES.length - 1) {
          // SSE comments keep the connection alive while held (Herald cuts a stream silent for 30 s).
          const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 1000);
          await released;
          clearInterval(keepAlive);
        }
        res.write(`data: ${JSON.stringify(chunk({ content: piece }))}\n\n`);
      }
      res.write(`data: ${JSON.stringify(chunk({}, "stop"))}\n\n`);
      res.write(
        `data: ${JSON.stringify({ id: "chatcmpl-e2e", object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: 200, completion_tokens: 90 } })}\n\n`,
      );
      res.end("data: [DONE]\n\n");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    release: () => release(),
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
