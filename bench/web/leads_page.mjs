// The leads page in a real browser against a server holding many leads: first paint, and
// paging through them (cursor pages, a deep page, sort, search, filter, column changes).
// Timings are taken inside the page: from the click (or navigation start) until the new rows
// are in the DOM and the next frame has been painted.
//
//   node bench/web/leads_page.mjs --url http://127.0.0.1:PORT --email E --password P
// bench/web_leads.sh prepares the data and the server and calls this.
import { parseArgs } from "node:util";
import { launch } from "../../web/e2e/browser.mjs";

const { values: args } = parseArgs({
  options: {
    url: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
    pages: { type: "string", default: "50" },
  },
});

const stats = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))];
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
};
const ms = (v) => `${v.toFixed(0)} ms`;
const rows = [];
const record = (what, xs) => {
  const s = stats(Array.isArray(xs) ? xs : [xs]);
  rows.push([what, s.n, ms(s.median), ms(s.p95), ms(s.max)]);
  console.error(`${what}: median ${ms(s.median)} (n=${s.n})`);
};

// In the page: run an action, then wait until `done()` holds and one more frame is painted.
async function timed(page, action, doneSource, arg) {
  return page.evaluate(
    async ({ action, doneSource, arg }) => {
      const done = new Function("arg", doneSource);
      const act = new Function("arg", action);
      const t0 = performance.now();
      act(arg);
      await new Promise((resolve, reject) => {
        const deadline = t0 + 30000;
        const tick = () => {
          if (done(arg)) requestAnimationFrame(() => resolve());
          else if (performance.now() > deadline) reject(new Error("timed out: " + doneSource));
          else requestAnimationFrame(tick);
        };
        tick();
      });
      return performance.now() - t0;
    },
    { action, doneSource, arg },
  );
}

const clickButton = `
  const b = [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === arg.label && !b.disabled);
  if (!b) throw new Error("no button " + arg.label);
  b.click();`;
const pageShown = `
  const ind = document.querySelector('[data-testid="page-indicator"]');
  const table = document.querySelector('[data-testid="leads-table"]');
  return ind && ind.textContent.startsWith("Page " + arg.page.toLocaleString("en") + " of") && table && table.getAttribute("aria-busy") !== "true"
    && table.querySelectorAll("tbody tr").length > 0;`;
const tableSettled = `
  const table = document.querySelector('[data-testid="leads-table"]');
  return table && table.getAttribute("aria-busy") !== "true" && table.querySelectorAll("tbody tr").length > 0
    && (!arg.url || location.search.includes(arg.url)) && (!arg.first || table.querySelector("tbody tr a").textContent !== arg.first);`;

const browser = await launch();
const page = browser.context.pages()[0] ?? (await browser.context.newPage());
try {
  // Sign in through the UI.
  await page.goto(args.url + "/signin");
  await page.getByLabel("Email").fill(args.email);
  await page.getByLabel("Password").fill(args.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60000 });

  // First paint of /leads: the first load fetches the assets, later loads have them cached.
  const loads = [];
  for (let i = 0; i < 6; i++) {
    await page.goto(args.url + "/leads" + (i ? `?page=${i + 1}` : ""));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="leads-table"] tbody tr').length > 0, null, {
      timeout: 60000,
    });
    loads.push(
      await page.evaluate(() => ({
        fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
        rows: performance.now(),
      })),
    );
  }
  const total = await page.getByTestId("leads-total").innerText();
  record("first contentful paint, /leads, cold (assets not cached)", loads[0].fcp);
  record("first contentful paint, /leads, warm", loads.slice(1).map((l) => l.fcp));
  record("navigation → 50 rows painted, cold", loads[0].rows);
  record("navigation → 50 rows painted, warm (6 different pages)", loads.slice(1).map((l) => l.rows));

  // Next, Next, … in id order: cursor pages.
  await page.goto(args.url + "/leads");
  await page.getByTestId("leads-table").waitFor();
  const n = Number(args.pages);
  const next = [];
  for (let p = 2; p <= n + 1; p++) next.push(await timed(page, clickButton, pageShown, { label: "Next", page: p }));
  record(`Next page ×${n} (newest first, cursor), 50 rows`, next);
  const prev = [];
  for (let p = n; p >= n - 9; p--) prev.push(await timed(page, clickButton, pageShown, { label: "Previous", page: p }));
  record("Previous page ×10 (remembered cursors)", prev);

  // A deep page by number: offset 100,000 (the server's deepest offset), then cursor pages beyond it.
  const deepPage = 100000 / 50 + 1;
  if (Number(total.replace(/\D/g, "")) > (deepPage + 20) * 50) {
    await page.getByLabel("Go to page").fill(String(deepPage));
    const deep = await timed(page, clickButton, pageShown, { label: "Go", page: deepPage });
    record(`jump to page ${deepPage.toLocaleString("en")} (offset 100,000)`, deep);
    const beyond = [];
    for (let p = deepPage + 1; p <= deepPage + 20; p++)
      beyond.push(await timed(page, clickButton, pageShown, { label: "Next", page: p }));
    record("Next ×20 beyond offset 100,000 (cursor)", beyond);
  }

  // 200 rows a page.
  await page.goto(args.url + "/leads");
  await page.getByTestId("leads-table").waitFor();
  const size = await timed(
    page,
    `const s = [...document.querySelectorAll("nav[aria-label=Pages] select")][0];
     s.value = "200"; s.dispatchEvent(new Event("change", { bubbles: true }));`,
    `return document.querySelectorAll('[data-testid="leads-table"] tbody tr').length === 200 &&
       document.querySelector('[data-testid="leads-table"]').getAttribute("aria-busy") !== "true";`,
    {},
  );
  record("page size 50 → 200", size);
  const next200 = [];
  for (let p = 2; p <= 11; p++) next200.push(await timed(page, clickButton, pageShown, { label: "Next", page: p }));
  record("Next page ×10, 200 rows", next200);

  // Sort by email (offset pages), search, filter.
  await page.goto(args.url + "/leads");
  await page.getByTestId("leads-table").waitFor();
  const first = await page.getByTestId("leads-table").locator("tbody tr a").first().innerText();
  record(
    "sort by email (first page)",
    await timed(
      page,
      `[...document.querySelectorAll("th button")].find((b) => b.textContent.startsWith("Email")).click();`,
      tableSettled,
      { url: "sort=email", first },
    ),
  );
  const sorted = [];
  for (let p = 2; p <= 11; p++) sorted.push(await timed(page, clickButton, pageShown, { label: "Next", page: p }));
  record("Next page ×10 sorted by email (offset)", sorted);

  await page.goto(args.url + "/leads");
  await page.getByTestId("leads-table").waitFor();
  const beforeSearch = await page.getByTestId("leads-table").locator("tbody tr a").first().innerText();
  await page.getByLabel("Search leads").fill("nguyen");
  record(
    "search 'nguyen' (after the 300 ms typing pause)",
    await timed(page, "", tableSettled, { url: "q=nguyen", first: beforeSearch }),
  );

  await page.goto(args.url + "/leads");
  await page.getByTestId("leads-table").waitFor();
  await page.getByRole("button", { name: /^Filters/ }).click();
  await page.getByRole("form", { name: "Lead filters" }).getByLabel("Converted").check();
  const beforeFilter = await page.getByTestId("leads-table").locator("tbody tr a").first().innerText();
  record(
    "filter status = converted",
    await timed(page, clickButton, tableSettled, { label: "Apply filters", url: "status=converted", first: beforeFilter }),
  );

  // Column chooser: adding columns re-renders the page's rows only.
  await page.goto(args.url + "/leads?page_size=200");
  await page.getByTestId("leads-table").waitFor();
  await page.getByRole("button", { name: "Columns" }).click();
  const cols = [];
  for (const label of ["Phone", "Website", "Source", "Updated", "Title"]) {
    cols.push(
      await timed(
        page,
        `[...document.querySelectorAll("dialog label")].find((l) => l.textContent.trim() === arg.label).querySelector("input").click();`,
        `const ths = [...document.querySelectorAll('[data-testid="leads-table"] th')].map((t) => t.textContent);
         return ths.some((t) => t.startsWith(arg.label)) !== arg.had;`,
        { label, had: false },
      ),
    );
  }
  record("column chooser: show a column (200 rows)", cols);

  console.log(`Leads in the database: ${total}\n`);
  console.log("| action | n | median | p95 | max |");
  console.log("|---|---:|---:|---:|---:|");
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
} finally {
  await browser.close();
}
