import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { json } from "../../test/fakeServer";
import { renderAppAt } from "../../test/renderApp";

const WRITE = ["template:read", "template:write", "lead:read"];
const saved = {
  id: 5,
  name: "Welcome",
  subject: "Hi {{first_name}}",
  html: "<p>Hi {{first_name}}</p>",
  text: "Hi {{first_name}}",
  text_generated: true,
  version: 3,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-02T00:00:00Z",
};
const unknownVariable = {
  type: "urn:herald:problem:validation",
  title: "Validation failed",
  status: 422,
  errors: [
    { field: "html", message: "line 1, column 4: unknown variable frist_name (did you mean first_name?)" },
  ],
};
const leads = {
  items: [
    { id: 9, email: "ann@example.com", first_name: "Ann", last_name: "", custom_fields: { plan: "Gold" } },
  ],
  total: 1,
  page: 1,
  page_size: 200,
};

afterEach(() => {
  vi.unstubAllGlobals();
  api.clear();
});

describe("the template editor", () => {
  it("shows the server's unknown-variable error beside the HTML with its position, and saves once fixed", async () => {
    let created: unknown = null;
    const server = renderAppAt("/templates/new", WRITE, {
      "GET /api/leads": () => json(200, leads),
      "POST /api/templates/preview": ({ body }) =>
        (body as { html: string }).html.includes("frist")
          ? json(422, unknownVariable)
          : json(200, { subject: "Hi Ann", html: "<p>Hi Ann</p>", text: "Hi Ann" }),
      "POST /api/templates": ({ body }) => {
        if ((body as { html: string }).html.includes("frist")) return json(422, unknownVariable);
        created = body;
        return json(201, { ...saved, version: 1 });
      },
      "GET /api/templates/5": () => json(200, { ...saved, version: 1 }),
    });
    const user = userEvent.setup();
    const form = await screen.findByRole("form", { name: "Template" });
    await user.type(within(form).getByLabelText("Name"), "Welcome");
    fireEvent.change(within(form).getByLabelText("Subject"), { target: { value: "Hi {{first_name}}" } });
    fireEvent.change(within(form).getByLabelText("HTML"), { target: { value: "<p>{{frist_name}}</p>" } });
    await user.click(screen.getByRole("button", { name: "Create template" }));
    const html = within(form).getByLabelText("HTML");
    await waitFor(() => expect(html).toHaveAttribute("aria-invalid", "true"));
    expect(html).toHaveAccessibleDescription(
      /line 1, column 4: unknown variable frist_name \(did you mean first_name\?\)/,
    );
    await user.click(screen.getByRole("button", { name: "Go to line 1, column 4" }));
    expect(html).toHaveFocus();
    expect((html as HTMLTextAreaElement).selectionStart).toBe(3);

    fireEvent.change(html, { target: { value: "<p>{{first_name}}</p>" } });
    await user.click(screen.getByRole("button", { name: "Create template" }));
    await screen.findByText("Version 1");
    expect(created).toEqual({
      name: "Welcome",
      subject: "Hi {{first_name}}",
      html: "<p>{{first_name}}</p>",
      text: "",
    });
    await waitFor(() => expect(server.calls.some((c) => c.path === "/api/templates/preview")).toBe(true), {
      timeout: 5000,
    });
  });

  it("inserts a variable from the picker at the caret, custom fields included", async () => {
    renderAppAt("/templates/new", WRITE, {
      "GET /api/leads": () => json(200, leads),
      "POST /api/templates/preview": () => json(200, { subject: "", html: "", text: "" }),
    });
    const user = userEvent.setup();
    const html = await screen.findByLabelText("HTML");
    fireEvent.change(html, { target: { value: "<p>Hi </p>" } });
    (html as HTMLTextAreaElement).setSelectionRange(6, 6);
    fireEvent.focus(html);
    await user.click(screen.getByRole("button", { name: /^first_name/ }));
    expect(html).toHaveValue("<p>Hi {{first_name}}</p>");
    await user.click(await screen.findByRole("button", { name: /^custom\.plan/ }));
    expect((html as HTMLTextAreaElement).value).toContain("{{custom.plan}}");
  });

  it("offers merge tags while one is typed: arrows choose, Enter inserts, Escape closes", async () => {
    renderAppAt("/templates/new", WRITE, {
      "GET /api/leads": () => json(200, leads),
      "POST /api/templates/preview": () => json(200, { subject: "", html: "", text: "" }),
    });
    const user = userEvent.setup();
    const html = await screen.findByLabelText("HTML");
    expect(html).toHaveAttribute("aria-autocomplete", "list");
    await user.click(html);
    await user.type(html, "<p>Hi {{{{na");
    const list = await screen.findByRole("listbox", { name: "Variables for HTML" });
    const options = within(list).getAllByRole("option");
    expect(options.map((o) => o.textContent)).toEqual([
      "first_nameFirst name",
      "last_nameLast name",
      "campaign_nameCampaign name",
      "from_nameSender name",
    ]);
    expect(options[0]).toHaveAttribute("aria-selected", "true");
    expect(html).toHaveAttribute("aria-activedescendant", options[0].id);
    await user.keyboard("{ArrowDown}");
    expect(within(list).getAllByRole("option")[1]).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{Enter}");
    expect(html).toHaveValue("<p>Hi {{last_name}}");
    expect(screen.queryByRole("listbox")).toBeNull();

    // Custom fields from the leads are offered too; Escape closes without inserting.
    await user.type(html, " {{{{custom.");
    const custom = await screen.findByRole("listbox");
    expect(within(custom).getByRole("option", { name: /custom\.plan/ })).toBeInTheDocument();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(html).toHaveValue("<p>Hi {{last_name}} {{custom.");
    // Typing on in the dismissed tag does not reopen it.
    await user.type(html, "p");
    expect(screen.queryByRole("listbox")).toBeNull();
  });

  it("puts the caret after a tag completed mid-text before the next keystroke", async () => {
    renderAppAt("/templates/new", WRITE, {
      "GET /api/leads": () => json(200, leads),
      "POST /api/templates/preview": () => json(200, { subject: "", html: "", text: "" }),
    });
    const user = userEvent.setup();
    const html = (await screen.findByLabelText("HTML")) as HTMLTextAreaElement;
    await user.type(html, "<p></p>");
    await user.type(html, "{{{{fi", { initialSelectionStart: 3, initialSelectionEnd: 3 });
    await screen.findByRole("listbox");
    await user.keyboard("{Enter}");
    expect(html).toHaveValue("<p>{{first_name}}</p>");
    // No frame has passed: the caret is already after the tag, so typing goes there.
    expect(html.selectionStart).toBe("<p>{{first_name}}".length);
    await user.keyboard("!");
    expect(html).toHaveValue("<p>{{first_name}}!</p>");
  });

  it("shows the version of a saved template, and a viewer can read but not save or delete", async () => {
    renderAppAt("/templates/5", ["template:read", "lead:read"], {
      "GET /api/leads": () => json(200, leads),
      "GET /api/templates/5": () => json(200, saved),
      "POST /api/templates/preview": () =>
        json(200, { subject: "Hi Ada", html: "<p>Hi Ada</p>", text: "Hi Ada" }),
    });
    await screen.findByText("Version 3");
    expect(screen.getByLabelText("HTML")).toHaveAttribute("readonly");
    expect(screen.queryByRole("button", { name: "Save" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Delete" })).toBeNull();
    expect(screen.getByLabelText("HTML")).not.toHaveAttribute("aria-autocomplete");
    expect(await screen.findByTestId("preview-subject")).toHaveTextContent("Hi Ada");
  });
});

describe("the templates list", () => {
  it("searches on the server and offers New template only to writers", async () => {
    const server = renderAppAt("/templates", ["template:read"], {
      "GET /api/templates": ({ url }) =>
        json(200, {
          items: url.searchParams.get("q") === "zzz" ? [] : [saved],
          total: 1,
          page: 1,
          page_size: 50,
        }),
    });
    await screen.findByRole("link", { name: "Welcome" });
    expect(screen.queryByRole("link", { name: "New template" })).toBeNull();
    await userEvent.setup().type(screen.getByLabelText("Search templates"), "zzz");
    await screen.findByText("No template matches");
    expect(server.calls.some((c) => c.path.includes("q=zzz"))).toBe(true);
  });

  it("sends a test of the saved version to typed addresses as a chosen lead, with address errors beside To", async () => {
    const user = userEvent.setup();
    const tests: unknown[] = [];
    const server = renderAppAt("/templates/5", WRITE, {
      "GET /api/templates/5": () => json(200, saved),
      "GET /api/leads": () => json(200, leads),
      "POST /api/templates/preview": () =>
        json(200, { subject: "Hi Ann", html: "<p>Hi Ann</p>", text: "Hi Ann" }),
      "POST /api/templates/5/test": ({ body }) => {
        tests.push(body);
        const emails = (body as { emails: string[] }).emails;
        if (emails.includes("nope"))
          return json(422, {
            title: "Validation failed",
            status: 422,
            errors: [{ field: "emails[1]", message: "is not a valid email address" }],
          });
        return json(200, { results: emails.map((e) => ({ email: e, delivered: true, detail: "250 OK" })) });
      },
    });
    await user.click(await screen.findByRole("button", { name: "Send test" }));
    const dialog = await screen.findByRole("dialog", { name: "Send a test" });
    expect(within(dialog).getByText(/Sends version 3 as saved/)).toBeInTheDocument();
    const to = within(dialog).getByLabelText("To (up to 10 addresses, comma-separated)");
    await user.type(to, "qa@example.net, nope");
    await user.click(within(dialog).getByRole("button", { name: "Send test" }));
    expect(await within(dialog).findByText("nope: is not a valid email address")).toBeInTheDocument();
    expect(to).toHaveAttribute("aria-invalid", "true");

    await user.clear(to);
    await user.type(to, "qa@example.net boss@example.net");
    await within(dialog).findByRole("option", { name: "Ann — ann@example.com" });
    await user.selectOptions(within(dialog).getByLabelText("Render as"), "9");
    await user.click(within(dialog).getByRole("button", { name: "Send test" }));
    const results = await within(dialog).findByRole("list", { name: "Test results" });
    expect(within(results).getByText("qa@example.net")).toBeInTheDocument();
    expect(within(results).getByText("boss@example.net")).toBeInTheDocument();
    expect(tests).toEqual([
      { emails: ["qa@example.net", "nope"] },
      { emails: ["qa@example.net", "boss@example.net"], lead_id: 9 },
    ]);
    expect(server.calls.some((c) => c.path === "/api/templates/5/test")).toBe(true);
  });

  it("offers no test send to a reader", async () => {
    renderAppAt("/templates/5", ["template:read", "lead:read"], {
      "GET /api/templates/5": () => json(200, saved),
      "GET /api/leads": () => json(200, leads),
      "POST /api/templates/preview": () =>
        json(200, { subject: "Hi Ann", html: "<p>Hi Ann</p>", text: "Hi Ann" }),
    });
    await screen.findByRole("heading", { name: "Welcome" });
    expect(screen.queryByRole("button", { name: "Send test" })).toBeNull();
  });
});
