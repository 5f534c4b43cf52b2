// Shared by the browser tests: builds a fixture hub with the real binary, serves the built site on
// localhost the way the static host does (the Content-Security-Policy of netlify.toml included),
// and starts Debian's Chromium through playwright-core.
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, statSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { before, after } from "node:test";
import assert from "node:assert/strict";

export const repo = resolve(fileURLToPath(import.meta.url), "../../..");

/** The hub binary: HUB_BIN, or the debug build that `cargo test` made. */
export function hubBin() {
  const bin = process.env.HUB_BIN || join(repo, "target/debug/hub");
  if (!existsSync(bin)) throw new Error(`no hub binary at ${bin}: run cargo build first`);
  return bin;
}

/** Builds tests/fixtures/<name> (or any hub root) into a temporary folder; returns the folder. */
export function build(root, extra = []) {
  const out = join(mkdtempSync(join(tmpdir(), "hub-browser-")), "site");
  const from = root.startsWith("/") ? root : join(repo, "tests/fixtures", root);
  execFileSync(hubBin(), ["build", "--root", from, "--out", out, ...extra], { stdio: "pipe" });
  return out;
}

/** The site's Content-Security-Policy, read from netlify.toml so the tests hold production to it. */
export function csp() {
  const toml = readFileSync(join(repo, "netlify.toml"), "utf8");
  const m = toml.match(/Content-Security-Policy\s*=\s*"([^"]+)"/);
  if (!m) throw new Error("netlify.toml has no Content-Security-Policy");
  return m[1];
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".json": "application/json",
  ".svg": "image/svg+xml", ".xml": "application/xml", ".png": "image/png", ".txt": "text/plain", ".csv": "text/csv; charset=utf-8",
};

/** Serves `dir` on a free localhost port. Resolves to { url, close, requests }. */
export function serve(dir) {
  const policy = csp();
  const requests = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push(path);
    let file = resolve(dir, "." + path);
    if (!file.startsWith(dir + sep) && file !== dir) { res.writeHead(403); res.end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    let status = 200;
    if (!existsSync(file)) {
      status = 404;
      file = join(dir, path.startsWith("/cy/") ? "cy/404.html" : "404.html");
    }
    const type = TYPES[extname(file)] || "application/octet-stream";
    const headers = { "Content-Type": type, "Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff" };
    let body = readFileSync(file);
    // Text is compressed, as static hosts do, so transfer sizes are what users download.
    if (/^(text|application\/(json|xml))|svg/.test(type) && /gzip/.test(req.headers["accept-encoding"] || "")) {
      body = gzipSync(body);
      headers["Content-Encoding"] = "gzip";
    }
    res.writeHead(status, headers);
    res.end(body);
  });
  return new Promise((ok) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      ok({ url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((d) => server.close(d)) });
    });
  });
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export async function launch() {
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}: scripts/test installs it (apt-get install chromium)`);
  }
  return chromium.launch({
    executablePath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A page that fails the test on any console error, page error or CSP violation. */
export async function newPage(browser, problems) {
  const page = await browser.newPage();
  page.on("console", (m) => {
    // The 404 page is meant to answer 404.
    if (m.type() !== "error" || (m.text().includes("status of 404") && m.location().url.includes("does-not-exist"))) return;
    problems.push(`${m.location().url}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  return page;
}

export function cleanup(dir) {
  rmSync(resolve(dir, ".."), { recursive: true, force: true });
}

/**
 * For one test file: builds `root` before its tests, serves it and (unless `browser: false`)
 * starts Chromium; after them, stops all and checks no page logged an error or CSP violation.
 * Returns the live handles: `{ site, server, browser, problems }`.
 */
export function servedSite(root, { browser = true } = {}) {
  const live = { site: null, server: null, browser: null, problems: [] };
  before(async () => {
    live.site = build(root);
    live.server = await serve(live.site);
    if (browser) live.browser = await launch();
  });
  after(async () => {
    await live.browser?.close();
    await live.server?.close();
    if (live.site) cleanup(live.site);
    assert.deepEqual(live.problems, [], "console errors, page errors or CSP violations");
  });
  return live;
}
