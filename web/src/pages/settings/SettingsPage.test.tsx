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
  inbound: {
    enabled: false,
    imap_url: "imaps://mail.acme.example:993/INBOX",
    user: "bounces@acme.example",
    password_set: true,
    poll_interval_s: 120,
  },
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

  it("the inbound mailbox shows the stored values and saves; an empty password keeps the stored one", async () => {
    const user = userEvent.setup();
    const server = renderAppAt("/settings?tab=inbound", ["settings:manage"], {
      "GET /api/settings": () => json(200, settings),
      "PATCH /api/settings": ({ body }) => {
        const inbound = (body as { inbound: Record<string, unknown> }).inbound;
        if (inbound.poll_interval_s === 5)
          return json(422, {
            title: "Validation failed",
            status: 422,
            errors: [
              { field: "inbound.poll_interval_s", message: "must be an integer from 10 to 86400 (seconds)" },
            ],
          });
        return json(200, { ...settings, inbound: { ...settings.inbound, ...inbound, password_set: true } });
      },
    });
    const form = await screen.findByRole("form", { name: "Inbound mailbox" });
    const url = within(form).getByLabelText("IMAP URL");
    const interval = within(form).getByLabelText("Poll interval (seconds)");
    const password = within(form).getByLabelText("Password");
    expect(url).toHaveValue("imaps://mail.acme.example:993/INBOX");
    expect(within(form).getByLabelText("User")).toHaveValue("bounces@acme.example");
    expect(interval).toHaveValue(120);
    expect(password).toHaveValue("");
    expect(password).toHaveAttribute("placeholder", "set — type to replace");
    const enabled = within(form).getByRole("checkbox", { name: /Read this mailbox/ });
    expect(enabled).not.toBeChecked();

    // A bad interval: the server's message beside the field, nothing else flagged.
    await user.clear(interval);
    await user.type(interval, "5");
    await user.click(within(form).getByRole("button", { name: "Save inbound settings" }));
    expect(
      await within(form).findByText("must be an integer from 10 to 86400 (seconds)"),
    ).toBeInTheDocument();
    expect(interval).toHaveAttribute("aria-invalid", "true");
    expect(url).not.toHaveAttribute("aria-invalid");

    await user.clear(interval);
    await user.type(interval, "60");
    await user.click(enabled);
    await user.click(within(form).getByRole("button", { name: "Save inbound settings" }));
    expect(await screen.findByText("Inbound mailbox saved")).toBeInTheDocument();
    const patches = server.calls.filter((c) => c.method === "PATCH");
    expect(patches).toHaveLength(2);
    expect(patches[1].body).toEqual({
      inbound: {
        enabled: true,
        imap_url: "imaps://mail.acme.example:993/INBOX",
        user: "bounces@acme.example",
        poll_interval_s: 60,
      },
    });

    // A typed password is sent once, then the field is empty again.
    await user.type(password, "new-mailbox-secret");
    await user.click(within(form).getByRole("button", { name: "Save inbound settings" }));
    await vi.waitFor(() => expect(server.calls.filter((c) => c.method === "PATCH")).toHaveLength(3));
    const third = server.calls.filter((c) => c.method === "PATCH")[2];
    expect((third.body as { inbound: Record<string, unknown> }).inbound.password).toBe("new-mailbox-secret");
    await vi.waitFor(() => expect(password).toHaveValue(""));
  });

  it("test connection shows the counts, or the failed step and field errors", async () => {
    const user = userEvent.setup();
    let attempt = 0;
    const server = renderAppAt("/settings?tab=inbound", ["settings:manage"], {
      "GET /api/settings": () => json(200, settings),
      "POST /api/settings/inbound/test": () => {
        attempt += 1;
        if (attempt === 1) return json(200, { ok: true, messages: 12, unseen: 3 });
        if (attempt === 2)
          return json(502, {
            type: "urn:herald:problem:inbound-login",
            title: "Bad Gateway",
            status: 502,
            detail: "The IMAP server refused the user or password (IMAP STATUS: Access denied. 78)",
          });
        return json(422, {
          title: "Validation Failed",
          status: 422,
          errors: [{ field: "imap_url", message: "must be an imaps:// or imap:// URL" }],
        });
      },
    });
    const form = await screen.findByRole("form", { name: "Inbound mailbox" });
    const test = within(form).getByRole("button", { name: "Test connection" });

    // The stored password is used: none is typed, none is sent.
    await user.click(test);
    expect(await within(form).findByRole("status")).toHaveTextContent("12 messages in the folder, 3 unread");
    const calls = () => server.calls.filter((c) => c.path === "/api/settings/inbound/test");
    expect(calls()[0].body).toEqual({
      imap_url: "imaps://mail.acme.example:993/INBOX",
      user: "bounces@acme.example",
    });

    // From the keyboard, with a typed password: the failure names the step, the counts are gone.
    await user.type(within(form).getByLabelText("Password"), "wrong-secret");
    test.focus();
    await user.keyboard("{Enter}");
    const failure = await within(form).findByTestId("inbound-test-error");
    expect(failure).toHaveAttribute("role", "alert");
    expect(failure).toHaveTextContent("The server refused the login");
    expect(failure).toHaveTextContent("refused the user or password");
    expect(within(form).queryByRole("status")).toBeNull();
    expect(calls()[1].body).toEqual({
      imap_url: "imaps://mail.acme.example:993/INBOX",
      user: "bounces@acme.example",
      password: "wrong-secret",
    });

    // A field error shows beside its field.
    const url = within(form).getByLabelText("IMAP URL");
    await user.clear(url);
    await user.type(url, "pop3://mail.acme.example");
    await user.click(test);
    expect(await within(form).findByText("must be an imaps:// or imap:// URL")).toBeInTheDocument();
    expect(url).toHaveAttribute("aria-invalid", "true");
    expect(within(form).queryByTestId("inbound-test-error")).toBeNull();
    expect(server.calls.some((c) => c.method === "PATCH")).toBe(false);
  });
});
