// Lighthouse 12.2.3 (npm) with Debian's Chromium on the home page and a study of the real site:
// accessibility, best practices and SEO must each score 100.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { repo, servedSite } from "./harness.mjs";

const require = createRequire(import.meta.url);
const CLI = join(require.resolve("lighthouse/package.json"), "..", "cli", "index.js");
const live = servedSite(repo, { browser: false });

for (const path of ["/", "/case-studies/deep-end/", "/cy/case-studies/healthy-homes/"]) {
  test(`Lighthouse scores ${path} 100 for accessibility, best practices and SEO`, async () => {
    const out = join(mkdtempSync(join(tmpdir(), "hub-lh-")), "report.json");
    // Asynchronous, so the server in this process keeps answering while Lighthouse runs.
    await new Promise((ok, fail) => execFile(process.execPath, [CLI, live.server.url + path,
      "--only-categories=accessibility,best-practices,seo", "--output=json", `--output-path=${out}`, "--quiet",
      "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"],
      { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM || "/usr/bin/chromium" } },
      (e) => (e ? fail(e) : ok())));
    const report = JSON.parse(readFileSync(out, "utf8"));
    const scores = Object.fromEntries(Object.entries(report.categories).map(([k, v]) => [k, v.score]));
    const failing = Object.values(report.audits)
      .filter((a) => a.score !== null && a.score < 1 && ["binary", "numeric"].includes(a.scoreDisplayMode))
      .map((a) => `${a.id}: ${a.title}`);
    assert.deepEqual(scores, { accessibility: 1, "best-practices": 1, seo: 1 }, failing.join("\n"));
    console.log(`# lighthouse ${path}: ${JSON.stringify(scores)}`);
  });
}
