import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { json } from "../../test/fakeServer";
import { renderAppAt } from "../../test/renderApp";

const unconfigured = {
  sender: { from_name: "", from_email: "", reply_to: "" },
  tracking: { track_opens: true, track_clicks: true },
  domain_limits: [],
  smtp: {
    transport: "outbox",
    host: "",
    port: 0,
    tls: "",
    username: "",
    verify_certificate: true,
    pool: 0,
    url: "",
  },
  public_url: "http://127.0.0.1:8000",
  dkim: [],
  ai: {
    base_url: "",
    model: "",
    api_key_set: false,
    daily_token_budget: 200000,
    configured: false,
    source: { base_url: "unset", model: "unset", api_key: "unset" },
  },
};

const noProvider = () =>
  json(503, {
    status: 503,
    title: "Service Unavailable",
    detail: "No AI provider is configured. Set HERALD_AI_BASE_URL and HERALD_AI_MODEL …",
  });

afterEach(() => {
  vi.unstubAllGlobals();
  api.clear();
});

describe("the assistant without a provider", () => {
  it("tells an administrator how to configure one and keeps the built-in tools", async () => {
    renderAppAt("/assistant", ["ai:use", "settings:manage"], {
      "GET /api/settings": () => json(200, unconfigured),
    });
    const note = await screen.findByRole("status", { name: "No AI provider" });
    expect(note.textContent).toContain("HERALD_AI_BASE_URL");
    expect(note.textContent).toContain("Settings → AI");
    expect(screen.queryByRole("form", { name: "Draft an e-mail" })).toBeNull();
    expect(screen.getByRole("region", { name: "Built-in tools" })).toBeTruthy();
  });

  it("learns it from a 503 when the user cannot read the settings", async () => {
    const user = userEvent.setup();
    renderAppAt("/assistant", ["ai:use"], { "POST /api/ai/draft": noProvider });
    const form = await screen.findByRole("form", { name: "Draft an e-mail" });
    await user.type(within(form).getByLabelText("Brief"), "Say hello");
    await user.click(within(form).getByRole("button", { name: "Write draft" }));
    const note = await screen.findByRole("status", { name: "No AI provider" });
    expect(note.textContent).toContain("HERALD_AI_MODEL");
  });
});

describe("the draft generator", () => {
  it("opens the streamed draft in the template editor", async () => {
    const user = userEvent.setup();
    const enc = new TextEncoder();
    renderAppAt("/assistant", ["ai:use", "template:read", "template:write"], {
      "POST /api/ai/draft": () =>
        new Response(
          new ReadableStream({
            start(c) {
              c.enqueue(enc.encode('event: delta\ndata: {"text":"Subject: Hello"}\n\n'));
              c.enqueue(
                enc.encode(
                  'event: draft\ndata: {"subject":"Hello {{first_name}}","html":"<p>Hi there</p>","text":"Hi there"}\n\nevent: done\ndata: {"usage":{}}\n\n',
                ),
              );
              c.close();
            },
          }),
          { status: 200, headers: { "Content-Type": "text/event-stream" } },
        ),
      "GET /api/leads": () => json(200, { items: [], total: 0, page: 1, page_size: 200 }),
    });
    const form = await screen.findByRole("form", { name: "Draft an e-mail" });
    await user.type(within(form).getByLabelText("Brief"), "Say hello");
    await user.click(within(form).getByRole("button", { name: "Write draft" }));
    const editor = await screen.findByRole("form", { name: "Template" });
    expect((within(editor).getByLabelText("Subject") as HTMLTextAreaElement).value).toBe(
      "Hello {{first_name}}",
    );
    expect((within(editor).getByLabelText("HTML") as HTMLTextAreaElement).value).toBe("<p>Hi there</p>");
    expect((within(editor).getByLabelText("Name") as HTMLInputElement).value).toBe(
      "Draft: Hello {{first_name}}",
    );
  });
});
