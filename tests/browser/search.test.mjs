// Search in a real browser: the built fixture site, served as the static host serves it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, serve, newPage, cleanup, servedSite } from "./harness.mjs";

const live = servedSite("search");

async function open(path) {
  const page = await newPage(live.browser, live.problems);
  await page.goto(live.server.url + path);
  await page.waitForSelector("#q:not([hidden])");
  return page;
}
async function type(page, words) {
  await page.fill("#q", words);
}
async function titles(page) {
  await page.waitForTimeout(150);
  await page.waitForFunction(() => {
    const s = document.querySelector(".search-status").textContent;
    return s !== "";
  });
  return page.$$eval(".search-results h2", (hs) => hs.map((h) => h.textContent));
}
/** Types `words` and waits until the results for them are on the page. */
async function resultsFor(page, words, expectFirst) {
  await type(page, words);
  const search = "?" + new URLSearchParams({ q: words.trim() });
  await page.waitForFunction(
    ([s, t]) => {
      const root = document.getElementById("search");
      return root.dataset.shown === s &&
        document.querySelector(".search-results").getAttribute("aria-busy") === "false" &&
        document.querySelector(".search-results h2")?.textContent === t;
    },
    [search, expectFirst],
    { timeout: 5000 },
  );
  return page.$$eval(".search-results h2", (hs) => hs.map((h) => h.textContent));
}

test("a word only one study's body has lists that study first, with the word marked", async () => {
  const page = await open("/search/");
  const list = await resultsFor(page, "pedometer", "Community transport to appointments");
  assert.deepEqual(list, ["Community transport to appointments"]);
  const marks = await page.$$eval(".search-results mark", (ms) => ms.map((m) => m.textContent));
  assert.deepEqual(marks, ["pedometer"]);
  await page.waitForFunction(() => document.querySelector(".search-status").textContent === "1 result");
  await page.close();
});

test("title matches rank above body matches, and English is stemmed", async () => {
  const page = await open("/search/");
  const falls = await resultsFor(page, "falls", "Falls exercise classes");
  assert.deepEqual(falls.slice(0, 2).sort(), ["Falls exercise classes", "Falls response team"]);
  // "evaluate" is in no study; "evaluated" is in three.
  await type(page, "evaluate ");
  await page.waitForFunction(() => document.querySelectorAll(".search-results li").length === 3);
  const marks = await page.$$eval(".search-results mark", (ms) => ms.map((m) => m.textContent));
  assert.deepEqual(marks, ["evaluated", "evaluated", "evaluated"]);
  await page.close();
});

test("a Welsh word typed without its circumflex finds the Welsh page", async () => {
  const page = await open("/cy/search/");
  const list = await resultsFor(page, "pwer", "Cartrefi iach");
  assert.deepEqual(list, ["Cartrefi iach"]);
  const href = await page.getAttribute(".search-results h2 a", "href");
  assert.equal(href, "/cy/case-studies/healthy-homes/");
  const marks = await page.$$eval(".search-results mark", (ms) => ms.map((m) => m.textContent));
  assert.deepEqual(marks, ["pŵer"]);
  await resultsFor(page, "ty ", "Cartrefi iach");
  await page.close();
});

test("a radical finds its mutated forms, and a mutated form finds its radical", async () => {
  const page = await open("/cy/search/");
  // "â phobl": after "â" (with), "pobl" takes the aspirate mutation.
  await resultsFor(page, "pobl ", "Cartrefi iach");
  let marks = await page.$$eval(".search-results mark", (ms) => ms.map((m) => m.textContent));
  assert.ok(marks.includes("phobl"), `marks: ${marks}`);
  // Aspirate mutation typed: "thanwydd" finds "tanwydd" as well.
  await resultsFor(page, "thanwydd ", "Cartrefi iach");
  marks = await page.$$eval(".search-results mark", (ms) => ms.map((m) => m.textContent));
  assert.deepEqual(marks.sort(), ["tanwydd", "thanwydd"]);
  // English studies not yet translated are in the Welsh index too, marked as English.
  const list = await resultsFor(page, "falls ", "Falls exercise classes");
  assert.equal(list.length, 2);
  assert.equal(await page.getAttribute(".search-results h2 a", "lang"), "en");
  await page.close();
});

async function count(page, id) {
  return page.$eval(`label[for="${id}"] .facet-count`, (c) => c.textContent);
}

test("a facet narrows results and counts; the URL keeps query and filters; reload and back restore them", async () => {
  const page = await open("/search/");
  await resultsFor(page, "falls ", "Falls exercise classes");
  assert.equal(await count(page, "f-regions-powys"), "(1)");
  assert.equal(await count(page, "f-regions-aneurin-bevan"), "(1)");
  assert.equal(await count(page, "f-statuses-mainstreamed"), "(1)");
  await page.check("#f-regions-powys");
  await page.waitForFunction(() => document.querySelectorAll(".search-results li").length === 1);
  assert.deepEqual(await titles(page), ["Falls exercise classes"]);
  // Other boards keep their counts (ticking one widens); other kinds narrow.
  assert.equal(await count(page, "f-regions-aneurin-bevan"), "(1)");
  assert.equal(await count(page, "f-statuses-mainstreamed"), "(0)");
  assert.equal(await count(page, "f-statuses-proven"), "(1)");
  assert.match(page.url(), /\?q=falls&regions=powys$/);
  await page.waitForFunction(() => document.querySelector(".search-status").textContent === "1 result");

  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll(".search-results li").length === 1);
  assert.equal(await page.inputValue("#q"), "falls");
  assert.ok(await page.isChecked("#f-regions-powys"));

  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll(".search-results li").length === 2);
  assert.ok(!(await page.isChecked("#f-regions-powys")));
  await page.close();
});

test("a Welsh word is undone only where a word before it mutates it: \"Mae\" (is) is not \"Bae\"", async () => {
  const page = await open("/cy/search/");
  // The Welsh text begins "Mae swyddogion…": no trigger before "Mae", so it is not filed under "bae".
  // Only the study in Bae Abertawe (its health board's name) is found.
  const list = await resultsFor(page, "bae ", "Wound clinic in the community");
  assert.deepEqual(list, ["Wound clinic in the community"]);
  await page.close();
});

test("filters alone list studies; a query nothing matches says so", async () => {
  const page = await open("/search/?regions=aneurin-bevan");
  await page.waitForFunction(() => document.querySelectorAll(".search-results li").length === 2);
  await type(page, "zzzqqq ");
  await page.waitForFunction(() => document.querySelector(".search-status").textContent.startsWith("Nothing matches"));
  assert.equal(await page.$$eval(".search-results li", (l) => l.length), 0);
  await page.close();
});

test("it is usable by keyboard alone", async () => {
  const page = await open("/search/");
  await page.focus("#q");
  await page.keyboard.type("wound");
  await page.waitForFunction(() => document.querySelectorAll(".search-results li").length === 1);
  await page.keyboard.press("Enter");
  // Tab from the box: the button, the filters' fold, then the first filter.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Search");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Filter the results");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "f-regions-aneurin-bevan");
  await page.keyboard.press("Space");
  await page.waitForFunction(() => document.querySelectorAll(".search-results li").length === 0);
  await page.keyboard.press("Space");
  await page.waitForFunction(() => document.querySelectorAll(".search-results li").length === 1);
  await page.close();
});

test("without JavaScript the page says so and links to the listings", async () => {
  const context = await live.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(live.server.url + "/search/");
  assert.ok(await page.isVisible(".search-nojs"));
  assert.ok(!(await page.isVisible("#q")));
  const links = await page.$$eval(".search-nojs a", (as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(links, ["/case-studies/", "/outcomes/", "/regions/", "/themes/", "/status/"]);
  await context.close();
});

test("a hub with no published study answers a search without errors", async () => {
  const root = mkdtempSync(join(tmpdir(), "hub-empty-"));
  mkdirSync(join(root, "content"));
  writeFileSync(join(root, "content/hub.yaml"), "title: Empty\nbase_url: https://example.org/\n");
  const emptySite = build(root);
  const emptyServer = await serve(emptySite);
  const page = await newPage(live.browser, live.problems);
  await page.goto(emptyServer.url + "/search/?q=falls");
  await page.waitForFunction(() => document.querySelector(".search-status").textContent.startsWith("Nothing matches"));
  await page.close();
  await emptyServer.close();
  cleanup(emptySite);
});

test("a cluster is a filter, listed under its health board, with counts; clusters without a study are not offered", async () => {
  const page = await open("/search/");
  await resultsFor(page, "falls ", "Falls exercise classes");
  assert.equal(await count(page, "f-clusters-north-powys"), "(1)");
  const clusters = await page.$$eval("input[name=clusters]", (bs) => bs.map((b) => b.value));
  assert.deepEqual(clusters, ["north-powys"]);
  const group = await page.$eval("input[name=clusters]", (b) => b.closest("ul").querySelector(".facet-group").textContent);
  assert.equal(group, "Powys Teaching Health Board");
  await page.evaluate(() => { document.querySelector("#f-clusters-north-powys").closest("details").open = true; });
  await page.check("#f-clusters-north-powys");
  await page.waitForFunction(() => document.querySelectorAll(".search-results li").length === 1);
  assert.deepEqual(await titles(page), ["Falls exercise classes"]);
  assert.match(page.url(), /clusters=north-powys/);
  await page.close();
});
