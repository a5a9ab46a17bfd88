import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { json } from "../../test/fakeServer";
import { renderAppAt } from "../../test/renderApp";

const settings = {
  sender: { from_name: "Acme", from_email: "sales@acme.example", reply_to: "" },
  tracking: { track_opens: true, track_clicks: true },
  domain_limits: [{ domain: "gmail.com", per_minute: 60 }],
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
};
const key = {
  domain: "acme.example",
  selector: "herald",
  dns_name: "herald._domainkey.acme.example",
  dns_txt: "v=DKIM1; k=rsa; p=MIIBIjAN",
  created_at: "2026-01-01T00:00:00Z",
  source: "generated",
};

afterEach(() => {
  vi.unstubAllGlobals();
  api.clear();
});

describe("settings tabs", () => {
  it("a user without settings:manage sees only the account tab", async () => {
    renderAppAt("/settings?tab=dkim", ["lead:read"], {
      "GET /api/auth/api-keys": () => json(200, { items: [] }),
    });
    await screen.findByRole("heading", { name: "API keys" });
    expect(screen.queryByRole("tab", { name: "DKIM" })).toBeNull();
  });

  it("domain limit errors from the server show beside their row", async () => {
    const user = userEvent.setup();
    const server = renderAppAt("/settings?tab=limits", ["settings:manage"], {
      "GET /api/settings": () => json(200, settings),
      "PATCH /api/settings": () =>
        json(422, {
          title: "Validation failed",
          status: 422,
          errors: [{ field: "domain_limits[1].per_minute", message: "must be an integer from 1 to 1000000" }],
        }),
    });
    const form = await screen.findByRole("form", { name: "Per-domain limits" });
    await user.click(within(form).getByRole("button", { name: "Add a domain" }));
    await user.type(within(form).getByLabelText("Domain 2"), "yahoo.com");
    const counts = within(form).getAllByLabelText("Per minute");
    await user.type(counts[1], "0");
    await user.click(within(form).getByRole("button", { name: "Save limits" }));
    expect(await within(form).findByText("must be an integer from 1 to 1000000")).toBeInTheDocument();
    expect(counts[1]).toHaveAttribute("aria-invalid", "true");
    expect(counts[0]).not.toHaveAttribute("aria-invalid");
    const patch = server.calls.find((c) => c.method === "PATCH");
    expect(patch?.body).toEqual({
      domain_limits: [
        { domain: "gmail.com", per_minute: 60 },
        { domain: "yahoo.com", per_minute: 0 },
      ],
    });
  });

  it("generating a DKIM key shows the DNS record to publish with copy buttons", async () => {
    const user = userEvent.setup();
    let keys: unknown[] = [];
    renderAppAt("/settings?tab=dkim", ["settings:manage"], {
      "GET /api/settings": () => json(200, settings),
      "GET /api/settings/dkim": () => json(200, { items: keys }),
      "POST /api/settings/dkim": ({ body }) => {
        expect(body).toEqual({ domain: "acme.example", selector: "herald" });
        keys = [key];
        return json(201, key);
      },
    });
    await screen.findByText("No DKIM keys");
    await user.type(screen.getByLabelText("Sending domain"), "acme.example");
    await user.click(screen.getByRole("button", { name: "Generate key" }));
    const record = await screen.findByTestId("dkim-record-acme.example");
    expect(record).toHaveTextContent("herald._domainkey.acme.example");
    expect(record).toHaveTextContent("v=DKIM1; k=rsa; p=MIIBIjAN");
    expect(screen.getByRole("button", { name: "Copy the TXT value for acme.example" })).toBeInTheDocument();
  });

  it("the SMTP tab shows the transport read-only and the test send's answer", async () => {
    const user = userEvent.setup();
    renderAppAt("/settings?tab=smtp", ["settings:manage"], {
      "GET /api/settings": () => json(200, settings),
      "POST /api/settings/smtp/test": () =>
        json(200, {
          delivered: true,
          transport: "outbox",
          detail: "stored in the outbox",
          message_id: "<x@y>",
        }),
    });
    await screen.findByText("outbox");
    await user.type(screen.getByLabelText("Send a test message to"), "ops@example.com");
    await user.click(screen.getByRole("button", { name: "Send test" }));
    expect(await screen.findByTestId("smtp-test-result")).toHaveTextContent("Stored in the outbox");
  });

  it("a viewer changes their own password; server field errors show beside their fields", async () => {
    const user = userEvent.setup();
    let attempt = 0;
    const server = renderAppAt("/settings", ["lead:read"], {
      "GET /api/auth/api-keys": () => json(200, { items: [] }),
      "POST /api/auth/password": () => {
        attempt += 1;
        if (attempt === 1)
          return json(422, {
            title: "Validation failed",
            status: 422,
            errors: [{ field: "current_password", message: "is not your current password" }],
          });
        if (attempt === 2)
          return json(422, {
            title: "Validation failed",
            status: 422,
            errors: [{ field: "password", message: "must be at least 8 characters" }],
          });
        return new Response(null, { status: 204 });
      },
    });
    const form = await screen.findByRole("form", { name: "Change password" });
    const current = within(form).getByLabelText("Current password");
    const next = within(form).getByLabelText("New password");
    const repeat = within(form).getByLabelText("Repeat the new password");
    const submit = within(form).getByRole("button", { name: "Change password" });

    // Two different new passwords never reach the server.
    await user.type(current, "old-secret");
    await user.type(next, "new-secret-1");
    await user.type(repeat, "new-secret-2");
    await user.click(submit);
    expect(await within(form).findByText("The two passwords differ.")).toBeInTheDocument();
    expect(server.calls.filter((c) => c.path === "/api/auth/password")).toHaveLength(0);

    await user.clear(repeat);
    await user.type(repeat, "new-secret-1");
    await user.click(submit);
    expect(await within(form).findByText("is not your current password")).toBeInTheDocument();
    expect(current).toHaveAttribute("aria-invalid", "true");
    expect(next).not.toHaveAttribute("aria-invalid");

    await user.click(submit);
    expect(await within(form).findByText("must be at least 8 characters")).toBeInTheDocument();
    expect(next).toHaveAttribute("aria-invalid", "true");
    expect(current).not.toHaveAttribute("aria-invalid");

    await user.click(submit);
    expect(
      await screen.findByText("Password changed; your other sessions were signed out"),
    ).toBeInTheDocument();
    expect(current).toHaveValue("");
    const sent = server.calls.filter((c) => c.path === "/api/auth/password");
    expect(sent).toHaveLength(3);
    expect(sent[2].body).toEqual({ current_password: "old-secret", password: "new-secret-1" });
  });
});
