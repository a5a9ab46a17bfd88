import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { json } from "../../test/fakeServer";
import { renderAppAt } from "../../test/renderApp";

afterEach(() => {
  vi.unstubAllGlobals();
  api.clear();
});

const entry = {
  id: 4,
  from: "sales@acme.example",
  to: "bob@example.net",
  subject: "Grüße, Bob",
  campaign_id: 7,
  message_id: "<c7.l42.herald@acme.example>",
  size: 1234,
  created_at: "2026-01-01T00:00:00Z",
};

describe("the outbox", () => {
  it("lists captured messages and shows one raw", async () => {
    renderAppAt("/admin/outbox", ["system:read"], {
      "GET /api/admin/outbox": () => json(200, { items: [entry], total: 1, page: 1, page_size: 50 }),
      "GET /api/admin/outbox/4": () =>
        json(200, { ...entry, raw: "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n\r\nHi" }),
    });
    const row = (await screen.findByText("bob@example.net")).closest("tr")!;
    expect(within(row).getByText("Grüße, Bob")).toBeInTheDocument();
    await userEvent
      .setup()
      .click(within(row).getByRole("button", { name: "View the message to bob@example.net" }));
    expect(await screen.findByTestId("outbox-raw")).toHaveTextContent("Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=");
  });

  it("is not offered without system:read", async () => {
    renderAppAt("/admin/outbox", ["audit:read"], {});
    expect(await screen.findByText("Not available to your role")).toBeInTheDocument();
  });
});
