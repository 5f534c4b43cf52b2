// Web quality of the real site (this repository's content/), on every kind of page in both
// languages: WCAG 2.2 AA by axe-core, valid HTML by the Nu checker, reflow at 320 px, target
// sizes, visible focus in a sensible order, the skip link, page weight, no other hosts, print.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { newPage, repo, servedSite } from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const VNU = require.resolve("vnu-jar/build/dist/vnu.jar");

// Every kind of page, English first; each also in Welsh under /cy/.
const KINDS = [
  "/", "/case-studies/", "/case-studies/physio-first/", "/case-studies/healthy-homes/",
  "/case-studies/deep-end/", "/outcomes/", "/outcomes/pcmw-3/", "/outcomes/pcmw-5/",
  "/regions/", "/regions/powys/", "/themes/partnership-working/", "/status/", "/status/proven/",
  "/collaboratives/", "/search/?q=care", "/coverage/", "/pipeline/", "/actions/", "/translations/",
  "/about/", "/does-not-exist/",
];
const PAGES = KINDS.flatMap((p) => [p, "/cy" + p]);

const live = servedSite(repo);

async function load(page, path) {
  await page.goto(live.server.url + path);
  if (path.includes("search/?q=")) {
    await page.waitForFunction(() => document.querySelector(".search-results")?.getAttribute("aria-busy") === "false" &&
      document.querySelectorAll(".search-results li").length > 0);
  }
}

test("axe-core finds no WCAG 2.0, 2.1 or 2.2 A or AA violation on any kind of page", async () => {
  // axe is injected through the DevTools protocol, which the page's CSP does not govern.
  const page = await newPage(live.browser, live.problems);
  const found = [];
  for (const path of PAGES) {
    await load(page, path);
    await page.evaluate(AXE);
    const result = await page.evaluate(() => axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    }));
    for (const v of result.violations) {
      found.push(`${path}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    }
  }
  assert.deepEqual(found, []);
  await page.close();
});

test("the Nu HTML Checker finds no error in any built page", () => {
  let out = "";
  try {
    out = execFileSync("java", ["-jar", VNU, "--errors-only", "--skip-non-html", "--format", "gnu", live.site],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    out = (e.stdout || "") + (e.stderr || "");
  }
  assert.equal(out.trim(), "", "vnu errors");
});

test("at 320 px wide (400% zoom) no page scrolls sideways", async () => {
  const page = await newPage(live.browser, live.problems);
  await page.setViewportSize({ width: 320, height: 640 });
  const wide = [];
  for (const path of PAGES) {
    await load(page, path);
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    if (w > 320) wide.push(`${path}: ${w}px`);
  }
  assert.deepEqual(wide, []);
  await page.close();
});

// WCAG 2.5.8: a target is at least 24 by 24 px, or is a link inside a sentence, or sits where a
// 24 px circle on it touches no other target.
function smallTargets() {
  const sel = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])";
  const all = [...document.querySelectorAll(sel)].filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden";
  });
  const inSentence = (e) => {
    const block = e.closest("p, li, td, th, dd, dt, figcaption, blockquote, caption");
    return block && block.textContent.trim().length > e.textContent.trim().length + 1;
  };
  const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
  const bad = [];
  for (const e of all) {
    const r = e.getBoundingClientRect();
    if ((r.width >= 24 && r.height >= 24) || inSentence(e)) continue;
    const [x, y] = centre(r);
    const crowded = all.some((o) => {
      if (o === e || o.contains(e) || e.contains(o)) return false;
      const q = o.getBoundingClientRect();
      const dx = Math.max(q.left - x, 0, x - q.right), dy = Math.max(q.top - y, 0, y - q.bottom);
      return Math.hypot(dx, dy) < 12;
    });
    if (crowded) bad.push(`${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
  }
  return bad;
}

test("every target is at least 24 by 24 px or spaced as WCAG 2.5.8 allows", async () => {
  const page = await newPage(live.browser, live.problems);
  const bad = [];
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 800 });
    for (const path of KINDS) {
      await load(page, path);
      for (const b of await page.evaluate(smallTargets)) bad.push(`${width}px ${path}: ${b}`);
    }
  }
  assert.deepEqual(bad, []);
  await page.close();
});

async function tabThrough(page, limit = 80) {
  const seen = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const info = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const s = getComputedStyle(e);
      const visible = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none";
      const all = [...document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]")];
      return { index: all.indexOf(e), tag: e.tagName, text: (e.textContent || e.value || "").trim().slice(0, 40), visible };
    });
    if (!info || seen.some((s) => s.index === info.index)) break;
    seen.push(info);
  }
  return seen;
}

for (const path of ["/", "/case-studies/deep-end/"]) {
  test(`keyboard on ${path}: the skip link comes first and works, focus is visible and follows the page order`, async () => {
    const page = await newPage(live.browser, live.problems);
    await load(page, path);
    const seen = await tabThrough(page);
    assert.ok(seen.length > 10, `only ${seen.length} stops`);
    assert.equal(seen[0].text, "Skip to main content");
    const hidden = seen.filter((s) => !s.visible).map((s) => `${s.tag} "${s.text}"`);
    assert.deepEqual(hidden, [], "focus not visible on");
    const order = seen.map((s) => s.index);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), "tab order follows the document");
    // The skip link moves focus to the main content.
    await load(page, path);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement.id), "main");
    await page.close();
  });
}

test("pages are light and contact no other host", async () => {
  const page = await newPage(live.browser, live.problems);
  const foreign = [];
  page.on("request", (r) => { if (!r.url().startsWith(live.server.url) && !r.url().startsWith("data:")) foreign.push(r.url()); });
  const weigh = async (path) => {
    const sizes = [];
    const listen = (r) => sizes.push(r.sizes().then((s) => ({ url: r.url(), bytes: s.responseBodySize + s.responseHeadersSize, type: r.resourceType() })));
    page.on("requestfinished", listen);
    await page.goto(live.server.url + path, { waitUntil: "networkidle" });
    page.off("requestfinished", listen);
    const all = await Promise.all(sizes);
    return all.filter((s) => s.type !== "image").reduce((a, s) => a + s.bytes, 0);
  };
  const home = await weigh("/");
  const study = await weigh("/case-studies/deep-end/");
  assert.ok(home < 100 * 1024, `home page: ${home} bytes`);
  assert.ok(study < 60 * 1024, `study page: ${study} bytes`);
  for (const path of PAGES) await load(page, path);
  assert.deepEqual(foreign, []);
  const html = readFileSync(join(live.site, "case-studies/deep-end/index.html"), "utf8");
  for (const css of html.match(/assets\/[a-z0-9]+\.[0-9a-f]{10}\.(css|js)/g)) {
    const text = readFileSync(join(live.site, css), "utf8");
    assert.ok(!/\n\s*\n/.test(text) && !text.includes("/* "), `${css} is minified`);
  }
  console.log(`# weight: home ${home} B, study ${study} B (gzip, without images)`);
  await page.close();
});

test("a study prints as a summary on one or two A4 pages: summary box, sources, the page's address", async () => {
  const page = await newPage(live.browser, live.problems);
  await load(page, "/case-studies/physio-first/");
  await page.emulateMedia({ media: "print" });
  const dir = mkdtempSync(join(tmpdir(), "hub-print-"));
  const pdf = join(dir, "study.pdf");
  writeFileSync(pdf, await page.pdf({ format: "A4", printBackground: false }));
  const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
  assert.match(text, /First Contact Physiotherapy posts/);
  assert.match(text, /At a glance/);
  assert.match(text, /Sources\s+.*Cluster peer review 2023\/24 report/);
  const pages = execFileSync("pdfinfo", [pdf], { encoding: "utf8" }).match(/Pages:\s+(\d+)/)[1];
  assert.ok(+pages <= 2, `${pages} pages`);
  assert.ok(!text.includes("Skip to main content"), "skip link printed");
  assert.ok(!/Case studies\s+By outcome\s+Health boards/.test(text), "site navigation printed");
  // Paper keeps the way back: the page's address is printed.
  assert.match(text, /Printed from: https:\/\/[^ ]+\/case-studies\/physio-first\//);
  if (process.env.HUB_PRINT_PNG) execFileSync("pdftoppm", ["-png", "-r", "60", pdf, process.env.HUB_PRINT_PNG]);
  await page.close();
});
