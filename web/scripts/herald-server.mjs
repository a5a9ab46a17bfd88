// Starts a real `herald serve` on a free port (listen 127.0.0.1:0) with its own data
// directory and resolves once it logs its address. Used by gen:api, the e2e suite and
// the UI benchmark.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "..", "..");

export function heraldBinary() {
  const fromEnv = process.env.HERALD_BIN;
  if (fromEnv) return fromEnv;
  return path.join(repoRoot, "build", "herald");
}

export function hasHeraldBinary() {
  return existsSync(heraldBinary());
}

/**
 * @param {{dataDir?: string, env?: Record<string,string>, webDir?: string, keepData?: boolean}} opts
 * @returns {Promise<{url: string, dataDir: string, log: () => string, stop: () => Promise<void>}>}
 */
export async function startHerald(opts = {}) {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), "herald-web-"));
  // A hermetic server: settings from the caller's shell (a PostgreSQL URL, a Redis URL, …) stay out.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("HERALD_")));
  const env = {
    ...inherited,
    HERALD_DATA_DIR: dataDir,
    HERALD_LISTEN: "127.0.0.1:0",
    HERALD_LOG_FORMAT: "json",
    ...(opts.webDir ? { HERALD_WEB_DIR: opts.webDir } : {}),
    ...(opts.env ?? {}),
  };
  const child = spawn(heraldBinary(), ["serve"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("herald did not start within 20 s:\n" + output)), 20000);
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.length > 4_000_000) output = output.slice(-2_000_000);
      const m = output.match(/"msg":"listening","address":"([^"]+)"/);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`herald exited with ${code}:\n${output}`));
    });
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => {
        if (!opts.dataDir && !opts.keepData) rmSync(dataDir, { recursive: true, force: true });
        resolve();
      });
      child.kill("SIGTERM");
      setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 10000).unref();
    });
  return { url, dataDir, log: () => output, stop };
}
