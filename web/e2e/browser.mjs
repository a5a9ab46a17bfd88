// Debian's chromium driven by playwright-core (no downloaded browser), plus the checks every
// page gets: a screenshot at 1440×900 and 720×900 (light, and dark at 1440) and axe-core.
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = require("axe-core").source;

export const CHROMIUM = process.env.HERALD_CHROMIUM ?? "/usr/bin/chromium";
export const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export async function launch() {
  const profile = mkdtempSync(path.join(tmpdir(), "herald-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    reducedMotion: "reduce",
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Collects CSP violations and uncaught errors of a page. */
export function watchConsole(page) {
  const problems = [];
  page.on("console", (m) => {
    const t = m.text();
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(t)) problems.push(`CSP: ${t}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

export async function axeCheck(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  return result.filter((v) => v.impact === "serious" || v.impact === "critical");
}

export class PageChecks {
  constructor(outDir) {
    this.outDir = outDir;
    this.violations = [];
    this.shots = [];
    mkdirSync(outDir, { recursive: true });
  }

  async setTheme(page, theme) {
    // Through the app's own switch when the page has it, else as the app stores it.
    const select = page.getByLabel("Colour theme");
    if ((await select.count()) === 1 && (await select.isVisible())) {
      await select.selectOption(theme);
      return;
    }
    await page.evaluate((t) => {
      localStorage.setItem("herald.theme", t);
      document.documentElement.classList.toggle("dark", t === "dark");
    }, theme);
  }

  /** A transient state (an open suggestion list) as it is: one screenshot and an axe run, without
   * changing the theme or the width, which would move the focus and close it. */
  async captureAsIs(page, name) {
    const file = path.join(this.outDir, `${name}.png`);
    await page.screenshot({ path: file });
    this.shots.push(file);
    const width = page.viewportSize()?.width;
    for (const v of await axeCheck(page)) this.violations.push({ page: name, theme: "light", width, ...v });
  }

  /** Screenshots at both widths (and dark at 1440), and an axe run on each variant. */
  async capture(page, name) {
    await page.waitForLoadState("networkidle").catch(() => {});
    for (const [theme, width] of [
      ["light", 1440],
      ["light", 720],
      ["dark", 1440],
    ]) {
      await page.setViewportSize({ width, height: 900 });
      await this.setTheme(page, theme);
      await page.waitForTimeout(60);
      const file = path.join(this.outDir, `${name}-${width}${theme === "dark" ? "-dark" : ""}.png`);
      // With a modal open, the viewport is what a person sees.
      const modal = (await page.locator("dialog[open]").count()) > 0;
      await page.screenshot({ path: file, fullPage: !modal });
      this.shots.push(file);
      for (const v of await axeCheck(page)) this.violations.push({ page: name, theme, width, ...v });
    }
    await this.setTheme(page, "light");
    await page.setViewportSize({ width: 1440, height: 900 });
  }
}
