// End-to-end: a real `herald serve` (SQLite, fresh data dir, free port) serving web/dist,
// driven through Debian's chromium. Run with `npm run e2e` after `make build`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startHerald, repoRoot } from "../scripts/herald-server.mjs";
import { launch, PageChecks, watchConsole } from "./browser.mjs";
import { startFakeProvider } from "./fake-provider.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, "..", "dist");
const outDir = path.resolve(here, "..", "test-results", "screens");
const ADMIN = { email: "admin@example.com", password: "Admin-pass-2026!" };
const VIEWER = { email: "viewer@example.com", password: "Viewer-pass-2026!" };
const IMPORT_ROWS = 20000;

let server, browser, page, checks, problems, tmp, csvPath, provider;

async function signIn(who) {
  await page.goto(server.url + "/signin");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
}

async function api(method, url, token, body) {
  const r = await fetch(server.url + url, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  return r;
}

const storedToken = () => page.evaluate(() => JSON.parse(localStorage.getItem("herald.session") ?? "null"));

describe("Herald web UI", { concurrency: false }, () => {
  before(async () => {
    assert.ok(existsSync(path.join(webDir, "index.html")), "web/dist is missing: run npm run build");
    tmp = mkdtempSync(path.join(tmpdir(), "herald-e2e-"));
    csvPath = path.join(tmp, "leads.csv");
    execFileSync("python3", [
      path.join(repoRoot, "bench", "leads", "gen_leads.py"),
      csvPath,
      String(IMPORT_ROWS),
    ]);
    server = await startHerald({
      webDir,
      env: {
        HERALD_ADMIN_EMAIL: ADMIN.email,
        HERALD_ADMIN_PASSWORD: ADMIN.password,
        HERALD_RATE_LIMIT: "100000/min",
      },
    });
    browser = await launch();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    problems = watchConsole(page);
    checks = new PageChecks(outDir);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await provider?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test("the landing page is public and the UI is served with a CSP it obeys", async () => {
    const r = await fetch(server.url + "/leads");
    assert.equal(r.status, 200, "client routes fall back to index.html");
    assert.match(r.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    await page.goto(server.url + "/");
    await page.getByRole("heading", { name: /Outreach you host yourself/ }).waitFor();
    await checks.capture(page, "landing");
  });

  test("sign-in shows wrong-password and rate-limit messages", async () => {
    await page.goto(server.url + "/signin");
    await checks.capture(page, "signin");
    const email = "someone@example.com";
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("wrong-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("signin-error").waitFor();
    assert.match(await page.getByTestId("signin-error").innerText(), /invalid|wrong|incorrect/i);
    // Use up the per-address budget (10/min), then the form says so and locks with a countdown.
    for (let i = 0; i < 10; i++) {
      await fetch(server.url + "/api/auth/login", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email, password: "wrong-password" }),
      });
    }
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText(/Too many sign-in attempts/).waitFor();
    assert.ok(await page.getByRole("button", { name: /Try again in \d+ s/ }).isDisabled());
    await checks.capture(page, "signin-rate-limited");
  });

  test("an admin signs in and sees the dashboard", async () => {
    await signIn(ADMIN);
    for (const item of ["Dashboard", "Leads", "Settings", "Admin"])
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: item })
        .first()
        .waitFor();
    await page.getByText("Failed jobs").waitFor();
    await checks.capture(page, "dashboard-empty");
  });

  test("a CSV import shows live progress up to 100% and the row report", async () => {
    await page.goto(server.url + "/leads/import");
    await page.getByLabel("CSV file").setInputFiles(csvPath);
    await page.getByText("Check the columns").waitFor();
    await page.getByLabel("Tag every imported lead").fill("fair-2026");
    await checks.capture(page, "import-preview");
    await page.getByRole("button", { name: "Start the import" }).click();
    const bar = page.getByTestId("import-progress").getByRole("progressbar");
    await bar.waitFor();
    const seen = new Set();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const v = Number(await bar.getAttribute("aria-valuenow"));
      seen.add(v);
      if (v === 100) break;
      assert.ok(Date.now() < deadline, `import stuck at ${v}%`);
      await page.waitForTimeout(100);
    }
    await page.getByText("completed", { exact: true }).waitFor();
    await page.getByText(/rows skipped or failed/).waitFor();
    await checks.capture(page, "import-done");
    console.log(`import progress values seen: ${[...seen].sort((a, b) => a - b).join(", ")}`);
  });

  test("the leads table pages, sorts, searches and filters on the server", async () => {
    await page.goto(server.url + "/leads");
    const table = page.getByTestId("leads-table");
    await table.waitFor();
    const total = Number((await page.getByTestId("leads-total").innerText()).replace(/\D/g, ""));
    assert.ok(total > IMPORT_ROWS * 0.95 && total <= IMPORT_ROWS, `total ${total}`);
    assert.equal(await table.locator("tbody tr").count(), 50);
    await checks.capture(page, "leads");

    const firstEmail = () => table.locator("tbody tr").first().locator("a").innerText();
    const before = await firstEmail();
    await page.getByRole("button", { name: "Next" }).click();
    await page
      .getByTestId("page-indicator")
      .getByText(/^Page 2 of/)
      .waitFor();
    await page.waitForFunction(
      () =>
        !document.querySelector('[data-testid="leads-table"]')?.getAttribute("aria-busy")?.includes("true"),
    );
    assert.notEqual(await firstEmail(), before);
    assert.match(page.url(), /cursor=\d+/, "id order pages by cursor");

    await page.getByRole("button", { name: /^Email/ }).click();
    await page.waitForURL(/sort=email/);
    await page.waitForFunction(() => document.querySelector('th[aria-sort="ascending"]'));

    await page.getByLabel("Search leads").fill("nguyen");
    await page.waitForURL(/q=nguyen/);
    await page.waitForFunction(() => {
      const n = Number(
        document.querySelector('[data-testid="leads-total"]')?.textContent?.replace(/\D/g, ""),
      );
      return n > 0 && n < 20000;
    });

    await page.getByRole("button", { name: /^Filters/ }).click();
    await page.getByRole("form", { name: "Lead filters" }).getByLabel("Converted").check();
    await page.getByLabel("Score from").fill("500");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText("must be a whole number from 0 to 100").waitFor();
    await page.getByLabel("Score from").fill("");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/status=converted/);
    await checks.capture(page, "leads-filtered");

    await page.getByRole("button", { name: "Save as segment" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill("Converted Nguyens");
    await page.getByRole("button", { name: "Save segment" }).click();
    await page.waitForURL(/segment_id=\d+/);

    // Keyboard: the column chooser opens with Enter, Space toggles, Escape closes and focus returns.
    const columns = page.getByRole("button", { name: "Columns" });
    await columns.focus();
    await page.keyboard.press("Enter");
    const title = page.getByRole("dialog").getByLabel("Title");
    await title.focus();
    await page.keyboard.press("Space");
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    assert.ok(await columns.evaluate((b) => b === document.activeElement), "focus is back on the opener");
    await table.getByRole("columnheader", { name: "Title" }).waitFor();

    await table.locator("tbody tr").first().locator("a").click();
    await page.getByRole("heading", { name: "Details" }).waitFor();
    await checks.capture(page, "lead-detail");
  });

  test("lead forms show the server's field errors beside the fields", async () => {
    await page.goto(server.url + "/leads");
    await page.getByRole("button", { name: "New lead" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Email").fill("not-an-address");
    await dialog.getByLabel("Score (0-100)").fill("300");
    await dialog.getByRole("button", { name: "Create lead" }).click();
    await dialog.getByText("is not a valid email address").waitFor();
    await checks.capture(page, "lead-new-errors");
    await dialog.getByLabel("Email").fill("new.person@example.com");
    await dialog.getByLabel("Score (0-100)").fill("40");
    await dialog.getByRole("button", { name: "Create lead" }).click();
    await page.getByRole("heading", { name: "Details" }).waitFor();
  });

  test("bulk actions on a selection, and GDPR erase of one lead", async () => {
    await page.goto(server.url + "/leads");
    const table = page.getByTestId("leads-table");
    await table.waitFor();
    const boxes = table.getByRole("checkbox", { name: /^Select .*@/ });
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole("button", { name: "Bulk actions…" }).click();
    const d = page.getByRole("dialog");
    await d.getByLabel("Tag").fill("hot");
    await checks.capture(page, "leads-bulk");
    await d.getByRole("button", { name: /Apply to 2 leads/ }).click();
    await page.getByText("Tag: 2 leads").waitFor();
    const token = (await storedToken()).token;
    const tagged = await (await api("GET", "/api/leads?tag=hot&page_size=1", token)).json();
    assert.equal(tagged.total, 2);

    await table.locator("tbody tr").first().locator("a").click();
    await page.getByRole("heading", { name: "Details" }).waitFor();
    const url = page.url();
    const email = (await page.locator("main").getByText(/@/).first().innerText()).trim().split(/\s/)[0];
    await page.getByRole("button", { name: "GDPR erase" }).click();
    const erase = page.getByRole("dialog");
    assert.ok(await erase.getByRole("button", { name: "Erase" }).isDisabled());
    await erase.getByLabel(/Type .* to confirm/).fill(email);
    await checks.capture(page, "lead-erase");
    await erase.getByRole("button", { name: "Erase" }).click();
    await page.waitForURL(/\/leads$/);
    const id = url.split("/").pop();
    assert.equal((await api("GET", `/api/leads/${id}`, token)).status, 404);
  });

  test("suppressions, settings and API keys", async () => {
    await page.goto(server.url + "/leads/suppressions");
    await page.getByRole("heading", { name: "Suppressions" }).waitFor();
    await page.getByRole("button", { name: "Suppress an address" }).click();
    await page.getByRole("dialog").getByLabel("Email address").fill("nobody@example.com");
    await page.getByRole("dialog").getByRole("button", { name: "Suppress" }).click();
    await page.getByRole("cell", { name: "nobody@example.com", exact: true }).waitFor();
    await checks.capture(page, "suppressions");

    await page.goto(server.url + "/settings");
    await page.getByRole("button", { name: "New API key" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill("CRM sync");
    await page.getByRole("button", { name: "Create key" }).click();
    const key = await page.getByTestId("new-api-key").inputValue();
    assert.match(key, /^hk_/);
    await page.getByRole("button", { name: "I have copied it" }).click();
    const r = await fetch(server.url + "/api/auth/me", { headers: { Authorization: `Bearer ${key}` } });
    assert.equal(r.status, 200);
    await checks.capture(page, "settings");
  });

  test("a template with a bad variable shows the error beside the field; a good one previews for a lead", async () => {
    await page.goto(server.url + "/templates");
    await page.getByRole("heading", { name: "Templates" }).waitFor();
    await page.getByText("No templates yet").waitFor();
    await checks.capture(page, "templates-empty");
    await page.getByRole("link", { name: "New template" }).first().click();
    const form = page.getByRole("form", { name: "Template" });
    await form.getByLabel("Name").fill("Welcome");
    await form.getByLabel("Subject").fill("Hello {{first_name|there}}");
    await form.getByLabel("HTML").fill("<p>Hi {{frist_name}}, from {{company|your company}}</p>");
    await page.getByRole("button", { name: "Create template" }).click();
    await form
      .getByText("line 1, column 7: unknown variable frist_name (did you mean first_name?)")
      .waitFor();
    assert.equal(await form.getByLabel("HTML").getAttribute("aria-invalid"), "true");
    await checks.capture(page, "template-error");
    assert.equal(page.url(), server.url + "/templates/new", "nothing was saved");

    await form.getByLabel("HTML").fill("<p>Hi {{first_name|there}}, from {{company|your company}}</p>");
    await page.getByRole("button", { name: "Create template" }).click();
    await page.waitForURL(/\/templates\/\d+$/);
    await page.getByText("Version 1", { exact: true }).waitFor();
    const token = (await storedToken()).token;
    const lead = (await (await api("GET", "/api/leads?page_size=20", token)).json()).items[0];
    const select = page.getByLabel("Lead", { exact: true });
    await select.locator(`option[value="${lead.id}"]`).waitFor({ state: "attached" });
    await select.selectOption(String(lead.id));
    const first = lead.first_name || "there";
    const exactly = (t) => new RegExp(`^${t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
    await page
      .getByTestId("preview-subject")
      .filter({ hasText: exactly(`Hello ${first}`) })
      .waitFor();
    await page.getByRole("tab", { name: "Text" }).click();
    await page
      .getByTestId("preview-text")
      .filter({ hasText: `Hi ${first}, from ${lead.company || "your company"}` })
      .waitFor();
    await checks.capture(page, "template-preview");

    // Merge-tag autocomplete: typing {{ offers the variables, the keyboard picks one.
    const subject = form.getByLabel("Subject");
    await subject.fill("Hello again {{first_name|there}} from ");
    await subject.press("End");
    await subject.pressSequentially("{{comp");
    const tags = page.getByRole("listbox", { name: "Variables for Subject" });
    await tags.getByRole("option", { name: /^company/ }).waitFor();
    assert.equal(await tags.getByRole("option", { selected: true }).count(), 1);
    await checks.captureAsIs(page, "template-autocomplete");
    await page.keyboard.press("Enter");
    assert.equal(await subject.inputValue(), "Hello again {{first_name|there}} from {{company}}");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Version 2", { exact: true }).waitFor();
    await page.goto(server.url + "/templates");
    await page.getByRole("link", { name: "Welcome" }).waitFor();
    await checks.capture(page, "templates");
  });

  test("mail settings: sender errors, a DKIM key with its DNS record, an SMTP test into the outbox", async () => {
    await page.goto(server.url + "/settings?tab=sender");
    const sender = page.getByRole("form", { name: "Sender identity" });
    await sender.getByLabel("From address").fill("not an address");
    await sender.getByRole("button", { name: "Save sender" }).click();
    await sender.getByText("is not a valid email address").waitFor();
    await checks.capture(page, "settings-sender-error");
    await sender.getByLabel("From name").fill("Acme Sales");
    await sender.getByLabel("From address").fill("sales@acme.example");
    await sender.getByRole("button", { name: "Save sender" }).click();
    await page.getByText("Settings saved").first().waitFor();

    await page.getByRole("tab", { name: "DKIM" }).click();
    await page.getByLabel("Sending domain").fill("acme.example");
    await page.getByRole("button", { name: "Generate key" }).click();
    const record = page.getByTestId("dkim-record-acme.example");
    await record.waitFor();
    await page.mouse.move(0, 0); // no hover state in the screenshots
    assert.match(await record.innerText(), /herald\._domainkey\.acme\.example/);
    assert.match(await record.innerText(), /v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}/);
    await checks.capture(page, "settings-dkim");

    await page.getByRole("tab", { name: "Domain limits" }).click();
    const limits = page.getByRole("form", { name: "Per-domain limits" });
    await limits.getByRole("button", { name: "Add a domain" }).click();
    await limits.getByLabel("Domain 1").fill("gmail.com");
    await limits.getByLabel("Per minute").fill("0");
    await limits.getByRole("button", { name: "Save limits" }).click();
    await limits.getByText("must be an integer from 1 to 1000000").waitFor();
    await limits.getByLabel("Per minute").fill("60");
    await limits.getByRole("button", { name: "Save limits" }).click();
    await page.getByText("Settings saved").first().waitFor();
    await checks.capture(page, "settings-limits");
    await page.getByRole("tab", { name: "Tracking" }).click();
    await page.getByRole("form", { name: "Tracking defaults" }).waitFor();
    await checks.capture(page, "settings-tracking");

    await page.getByRole("tab", { name: "SMTP" }).click();
    await page.getByLabel("Send a test message to").fill("ops@example.com");
    await page.getByRole("button", { name: "Send test" }).click();
    await page.getByTestId("smtp-test-result").getByText("Stored in the outbox", { exact: true }).waitFor();
    await page.mouse.move(0, 0);
    await checks.capture(page, "settings-smtp");

    await page.goto(server.url + "/admin/outbox");
    const row = page.getByRole("row", { name: /ops@example\.com/ });
    await row.waitFor();
    await checks.capture(page, "admin-outbox");
    await row.getByRole("button", { name: /View the message/ }).click();
    const raw = page.getByTestId("outbox-raw");
    await raw.waitFor();
    const text = await raw.innerText();
    assert.match(text, /Subject: Herald SMTP test/);
    assert.match(text, /DKIM-Signature:[\s\S]*d=acme\.example/, "signed with the key generated above");
    await checks.capture(page, "admin-outbox-raw");
    await page.keyboard.press("Escape");
  });

  test("a template's test send, rendered for a lead, lands in the outbox marked as a test", async () => {
    const token = (await storedToken()).token;
    const lead = (await (await api("GET", "/api/leads?page_size=1", token)).json()).items[0];
    await page.goto(server.url + "/templates");
    await page.getByRole("link", { name: "Welcome" }).click();
    await page.getByText("Version 2", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Send test" }).click();
    const dialog = page.getByRole("dialog", { name: "Send a test" });
    const to = dialog.getByLabel("To (up to 10 addresses, comma-separated)");
    await to.fill("qa@example.com, not-an-address");
    await dialog.getByRole("button", { name: "Send test" }).click();
    await dialog.getByText(/not-an-address: /).waitFor();
    assert.equal(await to.getAttribute("aria-invalid"), "true");
    await to.fill("qa@example.com");
    const as = dialog.getByLabel("Render as");
    await as.locator(`option[value="${lead.id}"]`).waitFor({ state: "attached" });
    await as.selectOption(String(lead.id));
    await dialog.getByRole("button", { name: "Send test" }).click();
    await dialog
      .getByRole("list", { name: "Test results" })
      .getByText(/delivered/)
      .waitFor();
    await page.mouse.move(0, 0); // no hover state in the screenshots
    await checks.capture(page, "template-test-send");
    await page.keyboard.press("Escape");

    await page.goto(server.url + "/admin/outbox");
    const row = page.getByRole("row", { name: /qa@example\.com/ });
    await row.waitFor();
    await row.getByRole("button", { name: /View the message/ }).click();
    const raw = page.getByTestId("outbox-raw");
    await raw.waitFor();
    const text = await raw.innerText();
    assert.match(text, /X-Herald-Test: template\/\d+/);
    assert.match(text, /DKIM-Signature:[\s\S]*d=acme\.example/, "signed with the sender domain's key");
    assert.ok(!text.includes(`To: ${lead.email}`), "never sent to the lead");
    await page.keyboard.press("Escape");
    // The subject as the outbox decodes it: marked, and rendered for the lead.
    const outbox = await (await api("GET", "/api/admin/outbox", token)).json();
    const sent = outbox.items.filter((m) => m.to === "qa@example.com");
    assert.equal(sent.length, 1);
    assert.ok(
      sent[0].subject.startsWith(`[Test] Hello again ${lead.first_name || "there"} from`),
      sent[0].subject,
    );
  });

  test("the admin dashboard shows health, queues and audit entries", async () => {
    await page.goto(server.url + "/admin");
    const health = page.getByTestId("health");
    await health.getByRole("progressbar", { name: "CPU" }).waitFor();
    await health.getByRole("progressbar", { name: "Memory" }).waitFor();
    await health.getByRole("progressbar", { name: "Disk" }).waitFor();
    await health.getByText("Database").waitFor();
    const queues = page.getByTestId("queues");
    for (const q of ["emails", "campaigns", "analytics"])
      await queues.getByRole("rowheader", { name: q }).waitFor();
    const audit = page.getByTestId("audit-table");
    await page.getByLabel("Action").fill("lead_import_started");
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    await audit.getByText("LEAD_IMPORT_STARTED").first().waitFor();
    await page.getByRole("button", { name: "Verify chain" }).click();
    await page
      .getByTestId("audit-verify")
      .getByText(/intact/)
      .waitFor();
    await checks.capture(page, "admin");

    await page.getByLabel("Action").fill("login_failed");
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    await audit.getByText("LOGIN_FAILED").first().waitFor();
    assert.equal(await audit.getByText("LEAD_IMPORT_STARTED").count(), 0);

    await page.goto(server.url + "/admin/audit");
    await page.getByTestId("audit-table").waitFor();
    await checks.capture(page, "admin-audit");
    await page.goto(server.url + "/admin/roles");
    await page.getByRole("heading", { name: /^viewer/ }).waitFor();
    await page.getByRole("button", { name: "New role" }).click();
    const role = page.getByRole("dialog");
    await role.getByLabel("Name").fill("Bad Name");
    await role.getByLabel("lead:read").check();
    await role.getByRole("button", { name: "Create role" }).click();
    await role.getByText(/lower-case letters/).waitFor();
    await role.getByLabel("Name").fill("auditor");
    await role.getByLabel("audit:read").check();
    await role.getByRole("button", { name: "Create role" }).click();
    await page.getByRole("heading", { name: /^auditor/ }).waitFor();
    await checks.capture(page, "admin-roles");
  });

  test("a campaign from a template: created, sent, completed, and a tracked link followed", async () => {
    const token = (await storedToken()).token;
    const made = await api("POST", "/api/templates", token, {
      name: "Fair follow-up",
      subject: "Hello {{first_name|there}}",
      html: '<p>Hi {{first_name|there}},</p><p><a href="https://example.org/fair">Photos from the fair</a></p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>',
    });
    assert.equal(made.status, 201, await made.text());
    await page.goto(server.url + "/campaigns");
    await page.getByRole("heading", { name: "Campaigns" }).waitFor();
    await checks.capture(page, "campaigns-empty");
    await page.getByRole("link", { name: "New campaign" }).first().click();
    await page.getByRole("heading", { name: "New campaign" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Fair follow-up");
    await page.getByLabel("Template", { exact: true }).selectOption({ label: "Fair follow-up (v1)" });
    await page.getByLabel("From address", { exact: true }).fill("news@herald.example");
    await page.getByLabel("Leads with any of these tags").check();
    await page.getByLabel("Tags", { exact: true }).fill("hot");
    await page.getByText(/\d+ matching leads?\b/).waitFor();
    await checks.capture(page, "campaign-new");
    await page.getByRole("button", { name: "Save as draft" }).click();
    await page.getByRole("button", { name: "Send…" }).waitFor();
    await page.getByRole("button", { name: "Send…" }).click();
    await checks.capture(page, "campaign-send-confirm");
    await page.getByRole("dialog").getByRole("button", { name: "Send", exact: true }).click();
    await page.getByText("completed", { exact: true }).first().waitFor({ timeout: 60_000 });
    const id = page.url().split("/").pop();
    const c = await (await api("GET", `/api/campaigns/${id}`, token)).json();
    assert.equal(c.status, "completed");
    assert.ok(c.stats.sent >= 1, JSON.stringify(c.stats));
    await page.getByRole("region", { name: "Recipients (scrollable)" }).waitFor();
    await checks.capture(page, "campaign-detail");
    // The message in the outbox carries a tracked link; following it redirects to the page it named.
    const outbox = await (await api("GET", `/api/admin/outbox?campaign_id=${id}`, token)).json();
    assert.equal(outbox.items.length, c.stats.sent);
    const one = await (await api("GET", `/api/admin/outbox/${outbox.items[0].id}`, token)).json();
    const raw = JSON.stringify(one)
      .replace(/=\\r\\n/g, "")
      .replace(/=3D/g, "=");
    const click = raw.match(/\/t\/c\/[A-Za-z0-9_-]+/)?.[0];
    assert.ok(click, "a click link in the message");
    const r = await fetch(server.url + click, { redirect: "manual" });
    assert.equal(r.status, 302);
    assert.equal(r.headers.get("location"), "https://example.org/fair");
    for (;;) {
      const now = await (await api("GET", `/api/campaigns/${id}`, token)).json();
      if (now.stats.clicked >= 1) break;
      await page.waitForTimeout(200);
    }
    await page.goto(server.url + "/campaigns");
    await page.getByRole("link", { name: "Fair follow-up" }).waitFor();
    await checks.capture(page, "campaigns");
    await page.goto(server.url + "/dashboard");
    await page.getByText("Campaigns by status").waitFor();
  });

  test("the analytics page shows the campaign's sends and its click", async () => {
    const token = (await storedToken()).token;
    const list = await (await api("GET", "/api/campaigns?page_size=100", token)).json();
    const c = list.items.find((x) => x.name === "Fair follow-up");
    assert.ok(c, "the campaign of the previous test");
    // The roll-up job takes the events in within a few seconds.
    for (let i = 0; ; i++) {
      const a = await (await api("GET", `/api/analytics/campaigns/${c.id}`, token)).json();
      if (a.funnel.sent === c.stats.sent && a.funnel.clicked >= 1) break;
      assert.ok(i < 300, `roll-up did not catch up: ${JSON.stringify(a.funnel)}`);
      await page.waitForTimeout(200);
    }
    await page.goto(server.url + "/analytics");
    await page.getByRole("heading", { name: "Analytics" }).waitFor();
    const sent = page.locator('[data-kpi="Sent"]');
    await sent.filter({ hasText: String(c.stats.sent) }).waitFor();
    await page.getByLabel("Campaign", { exact: true }).selectOption({ label: "Fair follow-up" });
    await page.locator('[data-stage="Clicked"]').filter({ hasText: /^1 · / }).waitFor();
    await page.getByRole("cell", { name: "https://example.org/fair" }).waitFor();
    await checks.capture(page, "analytics");
  });

  test("the assistant's built-in tools: the checker flags a spammy subject, lead scoring runs to its result", async () => {
    await page.goto(server.url + "/assistant");
    await page.getByRole("heading", { name: "AI Assistant" }).waitFor();
    const checker = page.getByRole("form", { name: "Message checker" });
    await checker.getByLabel("Subject").fill("FREE MONEY!!! ACT NOW");
    await checker.getByLabel("Body").fill("<p>Click here to claim your prize.</p>");
    await checker.getByRole("button", { name: "Check message" }).click();
    const findings = page.getByRole("list", { name: "Findings" });
    await findings
      .getByText(/spam-trigger wording/)
      .first()
      .waitFor();
    await findings.getByText(/No unsubscribe link/).waitFor();
    const score = Number(
      await page.getByRole("meter", { name: "Message score" }).getAttribute("aria-valuenow"),
    );
    assert.ok(score < 50, `a spammy message scores low, got ${score}`);

    await page.getByRole("button", { name: "Score leads" }).click();
    const result = page.getByRole("definition").filter({ hasText: /leads? scored with/ });
    await result.waitFor({ timeout: 120000 });
    // Which model depends on the history the earlier steps left (imported statuses count as labels).
    const model = page.getByRole("definition").filter({ hasText: /^(Rules|Logistic regression)$/ });
    await model.waitFor();
    if ((await model.textContent()) === "Logistic regression")
      await page
        .getByRole("definition")
        .filter({ hasText: /^0\.\d{3}$|^1\.000$/ })
        .waitFor();

    // Best send time for everyone: the heat map with the best hour in words and outlined.
    const sendTime = page.getByRole("form", { name: "Best send time" });
    await sendTime.getByRole("button", { name: "Show best time" }).click();
    await page.getByTestId("best-send-time").waitFor();
    assert.match(
      await page.getByTestId("best-send-time").innerText(),
      /^Best: (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d\d:00–\d\d:00, (from everyone's|the default)/,
    );
    const heat = page.getByRole("table", { name: "Opens and replies by hour" });
    assert.equal(await heat.getByRole("cell", { name: /, best hour$/ }).count(), 1);
    assert.equal(await heat.getByRole("cell").count(), 7 * 24);
    await page.mouse.move(0, 0); // no hover state in the screenshots
    await checks.capture(page, "assistant");
  });

  test("the admin dashboard's figures count the API traffic, with charts and system bars", async () => {
    // Five known API calls, and one 404 under /api (a client error, not a server error).
    const token = (await storedToken()).token;
    for (let i = 0; i < 5; i++) assert.equal((await api("GET", "/api/leads?page_size=1", token)).status, 200);
    assert.equal((await api("GET", "/api/no-such-thing", token)).status, 404);
    const figures = await (await api("GET", "/api/admin/system?minutes=30", token)).json();
    assert.ok(figures.api_calls_today >= 6, JSON.stringify(figures));
    assert.equal(figures.errors_24h, 0);
    assert.equal(figures.traffic.length, 30);
    assert.ok(figures.active_users_24h >= 1);

    await page.goto(server.url + "/admin");
    const tiles = page.getByTestId("system-figures");
    await tiles.getByText("API calls today").waitFor();
    // The tile's value (the paragraph after its label): at least what the API said a moment ago.
    const value = await tiles
      .getByText("API calls today")
      .locator("xpath=following-sibling::p[1]")
      .textContent();
    const shown = Number(value.replaceAll(",", ""));
    assert.ok(
      shown >= figures.api_calls_today,
      `tile says ${value}, the API said ${figures.api_calls_today}`,
    );
    // Active campaigns: what the campaigns summary counts (the sent campaign has completed: 0).
    const { by_status } = await (await api("GET", "/api/campaigns/summary", token)).json();
    const active = (by_status.scheduled ?? 0) + (by_status.sending ?? 0) + (by_status.paused ?? 0);
    const activeTile = tiles.getByText("Active campaigns").locator("xpath=following-sibling::p[1]");
    await page.waitForFunction((el) => el.textContent !== "—", await activeTile.elementHandle(), {
      timeout: 10_000,
    });
    assert.equal(await activeTile.textContent(), String(active));
    for (const label of ["Active users (24 h)", "Error rate (24 h)", "p95 response (24 h)", "Jobs pending"])
      await tiles.getByText(label).waitFor();
    const charts = page.getByTestId("traffic-charts");
    await charts.getByText("Requests per minute").waitFor();
    await charts.locator(".recharts-bar-rectangle").first().waitFor();
    await charts.locator(".recharts-line-curve").first().waitFor();
    for (const bar of ["CPU", "Memory", "Disk"])
      await page.getByTestId("health").getByRole("progressbar", { name: bar }).waitFor();
    await checks.capture(page, "admin-system");

    // The campaign sent by the test before left its audit entry, found by the dashboard's filter.
    const sent = (await (await api("GET", "/api/campaigns?page_size=1", token)).json()).items[0];
    assert.equal(sent.name, "Fair follow-up");
    const audit = page.getByTestId("audit-table");
    await page.getByLabel("Action").fill("campaign_sent");
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    const row = audit.getByRole("row").filter({ hasText: "CAMPAIGN_SENT" }).first();
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`campaigns?/${sent.id}\\b`));
    await page.getByRole("button", { name: "Verify chain" }).click();
    await page
      .getByTestId("audit-verify")
      .getByText(/intact/)
      .waitFor();
  });

  test("the assistant without a provider says how to configure one", async () => {
    await page.goto(server.url + "/assistant");
    const note = page.getByRole("status", { name: "No AI provider" });
    await note.waitFor();
    assert.match(await note.innerText(), /HERALD_AI_BASE_URL/);
    assert.match(await note.innerText(), /Settings → AI/);
    await checks.capture(page, "assistant-unconfigured");
  });

  test("with a local provider set in Settings → AI, a draft streams into the template editor", async () => {
    provider = await startFakeProvider();
    await page.goto(server.url + "/settings?tab=ai");
    const form = page.getByRole("form", { name: "AI provider" });
    await form.getByLabel("Base URL").fill(provider.baseUrl);
    await form.getByLabel("Model").fill("e2e-model");
    await form.getByLabel("API key").fill("sk-e2e-secret");
    await form.getByRole("button", { name: "Save AI settings" }).click();
    await page.getByText("AI settings saved").first().waitFor();
    await page.getByText("Configured", { exact: true }).waitFor();
    await page.getByText("A key is set. It is stored encrypted and never shown.").waitFor();
    await checks.capture(page, "settings-ai");
    // The provider settings apply from the next call on: wait until it answers.
    const token = (await storedToken()).token;
    for (let i = 0; ; i++) {
      const r = await api("POST", "/api/ai/subject-lines", token, { brief: "probe", count: 1 });
      if (r.status === 200) break;
      assert.ok(i < 100, `the provider did not come into force: ${r.status} ${await r.text()}`);
      await page.waitForTimeout(100);
    }
    await page.goto(server.url + "/assistant");
    const draft = page.getByRole("form", { name: "Draft an e-mail" });
    await draft.getByLabel("Brief").fill("Announce the new one-page campaign reports");
    await draft.getByLabel("Length").selectOption("short");
    await draft.getByRole("button", { name: "Write draft" }).click();
    // The text appears while the model writes: the provider holds its last piece until released.
    await page
      .getByLabel("Draft so far")
      .getByText(/set it up for/)
      .waitFor();
    assert.match(page.url(), /\/assistant$/);
    await checks.capture(page, "assistant-draft-streaming");
    provider.release();
    await page.waitForURL(/\/templates\/new$/);
    const editor = page.getByRole("form", { name: "Template" });
    assert.equal(
      await editor.getByLabel("Subject").inputValue(),
      "Meet Herald's new reports, {{first_name|there}}",
    );
    const html = await editor.getByLabel("HTML").inputValue();
    assert.match(html, /one page/);
    assert.doesNotMatch(html, /<script/, "the model's script was sanitised away");
    await editor.getByRole("button", { name: "Create template" }).click();
    await page.waitForURL(/\/templates\/\d+$/);
    await page.getByText("Version 1", { exact: true }).waitFor();
    await checks.capture(page, "assistant-draft-in-editor");
    const sent = provider.requests.find((r) => r.body.stream);
    assert.equal(sent.auth, "Bearer sk-e2e-secret");
    assert.equal(sent.body.model, "e2e-model");
  });

  test("an admin creates a viewer", async () => {
    await page.goto(server.url + "/admin/users");
    await page.getByRole("button", { name: "New user" }).click();
    const d = page.getByRole("dialog");
    await d.getByLabel("Email").fill(VIEWER.email);
    await d.getByLabel("Name").fill("Vera Viewer");
    await d.getByLabel("Role").selectOption("viewer");
    await d.getByLabel("Password").fill("short");
    await d.getByRole("button", { name: "Create user" }).click();
    await d.locator("#" + (await d.getByLabel("Password").getAttribute("id")) + "-error").waitFor();
    await d.getByLabel("Password").fill(VIEWER.password);
    await d.getByRole("button", { name: "Create user" }).click();
    await page.getByTestId("users-table").getByText(VIEWER.email).waitFor();
    await checks.capture(page, "admin-users");
  });

  test("silent refresh: an expired access token is renewed once for many parallel calls", async () => {
    await page.goto(server.url + "/dashboard");
    await page.getByText("Failed jobs").waitFor();
    const s = await storedToken();
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem("herald.session"));
      s.expires_at = 0; // every call of the next page load needs a refresh first
      localStorage.setItem("herald.session", JSON.stringify(s));
    });
    await page.reload();
    await page.getByRole("heading", { name: /New leads per day/ }).waitFor();
    await page.waitForLoadState("networkidle");
    const after = await storedToken();
    assert.notEqual(after.refresh_token, s.refresh_token, "the token was rotated");
    // The old refresh token was used exactly once: had two requests used it, the session would be revoked.
    const me = await api("GET", "/api/auth/me", after.token);
    assert.equal(me.status, 200);
    await checks.capture(page, "dashboard");
  });

  test("sign-out, then a viewer finds no create buttons and the API refuses", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/signin/);
    assert.equal(await storedToken(), null);
    await signIn(VIEWER);
    const nav = page.getByRole("navigation", { name: "Main" }).first();
    await nav.getByRole("link", { name: "Leads" }).waitFor();
    assert.equal(await nav.getByRole("link", { name: "Admin" }).count(), 0);
    await checks.capture(page, "viewer-dashboard");
    await page.goto(server.url + "/leads");
    await page.getByTestId("leads-table").waitFor();
    for (const name of ["New lead", "Import CSV", "Export CSV", "Save as segment"])
      assert.equal(
        await page.getByRole("button", { name }).or(page.getByRole("link", { name })).count(),
        0,
        name,
      );
    assert.equal(await page.getByRole("checkbox", { name: /^Select/ }).count(), 0);
    await checks.capture(page, "viewer-leads");
    const token = (await storedToken()).token;
    const create = await api("POST", "/api/leads", token, { email: "x@example.com" });
    assert.equal(create.status, 403);
    const bulk = await api("POST", "/api/leads/bulk", token, { action: "tag", tag: "x", filter: {} });
    assert.equal(bulk.status, 403);
    await page.goto(server.url + "/templates");
    await page.getByRole("link", { name: "Welcome" }).waitFor();
    assert.equal(await page.getByRole("link", { name: "New template" }).count(), 0);
    const tmpl = await api("POST", "/api/templates", token, { name: "x", subject: "x", html: "x" });
    assert.equal(tmpl.status, 403);
    await page.goto(server.url + "/settings?tab=dkim");
    await page.getByRole("heading", { name: "API keys" }).waitFor();
    assert.equal(await page.getByRole("tab", { name: "DKIM" }).count(), 0);
    await page.goto(server.url + "/admin/users");
    await page.getByText("Not available to your role").waitFor();
    await checks.capture(page, "viewer-admin-refused");
    await page.goto(server.url + "/no/such/page");
    await page.getByText("There is no page here").waitFor();
    await checks.capture(page, "not-found");
  });

  test("the viewer changes their own password: a wrong current one is named, the new one signs in", async () => {
    await page.goto(server.url + "/settings");
    const form = page.getByRole("form", { name: "Change password" });
    await form.getByLabel("Current password").fill("not-my-password");
    await form.getByLabel("New password", { exact: true }).fill("Viewer-pass-2027!");
    await form.getByLabel("Repeat the new password").fill("Viewer-pass-2027!");
    await form.getByRole("button", { name: "Change password" }).click();
    await form.getByText("is not your current password").waitFor();
    assert.equal(await form.getByLabel("Current password").getAttribute("aria-invalid"), "true");
    await checks.capture(page, "settings-password-error");
    await form.getByLabel("Current password").fill(VIEWER.password);
    await form.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Password changed; your other sessions were signed out").first().waitFor();
    const old = await fetch(server.url + "/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(VIEWER),
    });
    assert.equal(old.status, 401, "the old password no longer works");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/signin/);
    await signIn({ email: VIEWER.email, password: "Viewer-pass-2027!" });
  });

  test("no CSP violation, no page error, no serious accessibility violation", () => {
    assert.deepEqual(problems, []);
    const lines = checks.violations.map(
      (v) => `${v.page} (${v.theme}, ${v.width}px): ${v.impact} ${v.id} — ${v.help} — ${v.nodes.join(" | ")}`,
    );
    assert.deepEqual(lines, []);
    console.log(`${checks.shots.length} screenshots in ${path.relative(process.cwd(), outDir)}`);
  });
});
