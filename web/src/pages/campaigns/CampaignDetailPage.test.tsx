import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { json } from "../../test/fakeServer";
import { renderAppAt } from "../../test/renderApp";

const SEND = ["campaign:read", "campaign:create", "campaign:send", "campaign:delete"];
const stats = (o: Record<string, number> = {}) => ({
  recipients: 0,
  queued: 0,
  sending: 0,
  deferred: 0,
  sent: 0,
  failed: 0,
  skipped: 0,
  cancelled: 0,
  opened: 0,
  clicked: 0,
  replied: 0,
  bounced: 0,
  unsubscribed: 0,
  ...o,
});
const campaign = (status: string, o: Record<string, unknown> = {}) => ({
  id: 7,
  name: "Spring news",
  template_id: 1,
  template_version: status === "draft" ? null : 1,
  from_name: "Acme",
  from_email: "news@acme.example",
  reply_to: "",
  audience: { tags: ["hot"] },
  schedule_mode: "now",
  scheduled_at: null,
  local_time: null,
  timezone: "UTC",
  send_now: false,
  throttle_per_minute: 0,
  track_opens: true,
  track_clicks: true,
  status,
  error: null,
  rate_per_minute: 0,
  created_by: 1,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  started_at: null,
  completed_at: null,
  stats: stats(),
  ...o,
});
const recipient = (id: number, email: string) => ({
  id,
  lead_id: id,
  email,
  state: "sent",
  attempts: 1,
  due_at: "2026-01-01T00:00:00Z",
  sent_at: "2026-01-01T00:00:01Z",
  opened_at: null,
  clicked_at: null,
  unsubscribed_at: null,
  reply_code: 250,
  last_reply: "250 ok",
  message_id: null,
  updated_at: "2026-01-01T00:00:01Z",
});
const page = <T,>(items: T[]) => ({ items, total: items.length, page: 1, page_size: 50 });

afterEach(() => {
  vi.unstubAllGlobals();
  api.clear();
});

describe("the campaign detail page", () => {
  it("shows the recipients of a send that finished before the next poll", async () => {
    let sent = false;
    renderAppAt("/campaigns/7", SEND, {
      "GET /api/campaigns/7": () =>
        json(
          200,
          sent
            ? campaign("completed", { stats: stats({ recipients: 2, sent: 2 }) })
            : campaign("draft", { stats: stats({ recipients: 0 }) }),
        ),
      "POST /api/campaigns/7/send": () => {
        sent = true;
        return json(202, { id: 7, status: "sending", emails_queued: 2 });
      },
      "GET /api/campaigns/7/recipients": () =>
        json(200, page(sent ? [recipient(1, "ann@example.com"), recipient(2, "bo@example.com")] : [])),
      "GET /api/campaigns/7/timeline": () => json(200, { minutes: 60, points: [] }),
    });
    const user = userEvent.setup();
    await screen.findByText("No recipients here", {}, { timeout: 5000 });
    await user.click(screen.getByRole("button", { name: "Send…" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Send" }));
    const region = await screen.findByRole("region", { name: "Recipients (scrollable)" });
    expect(within(region).getByText("ann@example.com")).toBeInTheDocument();
    expect(within(region).getByText("bo@example.com")).toBeInTheDocument();
    await screen.findByText("2 of 2 recipients done");
  });

  it.each([
    ["draft", SEND, ["Send a test", "Send…", "Delete…"]],
    ["sending", SEND, ["Send a test", "Pause…", "Cancel…"]],
    ["paused", SEND, ["Send a test", "Resume…", "Cancel…"]],
    ["completed", SEND, ["Send a test", "Delete…"]],
    ["sending", ["campaign:read"], []],
  ])("a %s campaign offers the actions its status and the role allow", async (status, perms, expected) => {
    renderAppAt("/campaigns/7", perms, {
      "GET /api/campaigns/7": () =>
        json(200, campaign(status, { stats: stats({ recipients: 4, sent: 1, queued: 3 }) })),
      "GET /api/campaigns/7/recipients": () => json(200, page([])),
      "GET /api/campaigns/7/timeline": () => json(200, { minutes: 60, points: [] }),
    });
    await screen.findByRole("heading", { name: "Spring news" }, { timeout: 5000 });
    await screen.findByText("Recipients", { selector: "h2" }).catch(() => null);
    const names = screen
      .getAllByRole("button")
      .map((b) => b.textContent ?? "")
      .filter((t) => /…$|^Send a test$/.test(t));
    expect(names).toEqual(expected);
  });
});
