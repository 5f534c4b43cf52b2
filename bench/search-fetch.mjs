// Measures, in Debian's Chromium, the bytes a first one-word query fetches from hub's search and
// from Pagefind's on the same built site, served with gzip as a static host serves it.
//   node bench/search-fetch.mjs <site folder> <word> [<word>…]  → one JSON line per word
import { createServer } from "node:http";
import { readFileSync, existsSync, statSync } from "node:fs";
import { join, extname, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { launch } from "../tests/browser/harness.mjs";

const [site, ...words] = process.argv.slice(2);
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".json": "application/json", ".css": "text/css" };
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = resolve(site, "." + path);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) { res.writeHead(404); res.end(); return; }
  let body = readFileSync(file);
  const type = TYPES[extname(file)];
  const headers = { "Content-Type": type || "application/octet-stream" };
  // Compress text as hosts do; Pagefind's own files are gzip already.
  if (type && /gzip/.test(req.headers["accept-encoding"] || "")) {
    body = gzipSync(body);
    headers["Content-Encoding"] = "gzip";
  }
  res.writeHead(200, headers);
  res.end(body);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await launch();

async function measure(url, counts, ready) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const sizes = [];
  page.on("requestfinished", async (r) => {
    const path = new URL(r.url()).pathname;
    if (counts(path)) sizes.push(r.sizes().then((s) => ({ path, bytes: s.responseBodySize })));
  });
  await page.goto(url);
  const result = await page.waitForFunction(ready, null, { timeout: 60000 }).then((h) => h.jsonValue());
  await page.waitForTimeout(300);
  const got = await Promise.all(sizes);
  await context.close();
  return { bytes: got.reduce((a, s) => a + s.bytes, 0), requests: got.length, ...result };
}

for (const word of words) {
  const hub = await measure(
    `${base}/search/?q=${encodeURIComponent(word)}`,
    (p) => p.startsWith("/search/en/") || /^\/assets\/(search|porter2)\./.test(p),
    () => {
      const list = document.querySelector(".search-results");
      if (list.getAttribute("aria-busy") !== "false" || !list.children.length) return false;
      const mark = performance.getEntriesByName("hub-search-rendered")[0];
      const data = performance.getEntriesByType("resource").filter((r) => r.name.includes("/search/en/"));
      const arrived = Math.max(...data.map((r) => r.responseEnd));
      return { results: document.querySelector(".search-status").textContent || list.children.length, render_ms: +(mark.startTime - arrived).toFixed(1) };
    },
  );
  const pagefind = await measure(
    `${base}/pf-bench.html?q=${encodeURIComponent(word)}`,
    (p) => p.startsWith("/pagefind/"),
    () => window.done || false,
  );
  console.log(JSON.stringify({ word, hub, pagefind }));
}
await browser.close();
server.close();
