// Runs the end-to-end suite with node's test runner.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const r = spawnSync(process.execPath, ["--test", "--test-reporter=spec", path.join(here, "app.e2e.mjs")], {
  stdio: "inherit",
});
process.exit(r.status ?? 1);
