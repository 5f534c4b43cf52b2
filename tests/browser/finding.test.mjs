// Finding good practice with the words a manager has (#18): synonyms across languages, typos,
// results with only some of the words, the report's actions among the results, and topics to
// browse when nothing matches. The search fixture plus a physiotherapy study and an actions file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repo, newPage, servedSite } from "./harness.mjs";

const root = mkdtempSync(join(tmpdir(), "hub-finding-"));
cpSync(join(repo, "tests/fixtures/search"), root, { recursive: true });
writeFileSync(join(root, "content/case-studies/physio-practices.md"), `---
title: Physiotherapists in practices
summary: A first contact physiotherapist in each practice sees patients without a GP referral.
region: cardiff-and-vale
outcomes: [pcmw-3]
themes: [vision-and-leadership]
topics: [msk]
status: proven
updated: 2024-05-01
status_as_of: 2024-05
---

## What was done

Patients book straight in with the physiotherapist at the practice.
`);
mkdirSync(join(root, "content/actions"));
writeFileSync(join(root, "content/actions/powys-2023-24.yaml"), `region: powys
cycle: 2023/24
source: A test report
actions:
  - action: Agree one referral route for frail older people to the falls service.
    topics: [frailty]
`);
const live = servedSite(root);

async function open(path) {
  const page = await newPage(live.browser, live.problems);
  await page.goto(live.server.url + path);
  await page.waitForSelector("#q:not([hidden])");
  return page;
}
/** Types `words`; resolves when the results for them are shown, to the status and results. */
async function search(page, words) {
  await page.fill("#q", words);
  const shown = "?" + new URLSearchParams({ q: words.trim() });
  await page.waitForFunction(
    (s) => document.getElementById("search").dataset.shown === s &&
      document.querySelector(".search-results").getAttribute("aria-busy") === "false",
    shown,
    { timeout: 5000 },
  );
  // The status is announced once typing pauses (400 ms).
  await page.waitForTimeout(500);
  return page.evaluate(() => ({
    status: document.querySelector(".search-status").textContent,
    results: Array.from(document.querySelectorAll(".search-results li")).map((li) => ({
      title: li.querySelector("h2").textContent,
      href: li.querySelector("h2 a").getAttribute("href"),
      facts: li.querySelector(".result-facts").textContent,
      missing: li.querySelector(".result-missing")?.textContent ?? null,
      action: li.classList.contains("result-action"),
    })),
    suggestions: document.querySelector(".search-suggestions").hidden
      ? []
      : Array.from(document.querySelectorAll(".search-suggestions a")).map((a) => a.getAttribute("href")),
  }));
}

test("a Welsh word finds a study written only in English, and an abbreviation its expansion", async () => {
  const page = await open("/cy/search/");
  let r = await search(page, "ffisiotherapi ");
  assert.deepEqual(r.results.map((x) => x.title), ["Physiotherapists in practices"]);
  assert.match(r.results[0].facts, /yn Saesneg$/);
  r = await search(page, "msk ");
  assert.equal(r.results[0].title, "Physiotherapists in practices");
  await page.close();
});

test("a mistyped word finds the close spelling and says so", async () => {
  const page = await open("/search/");
  const r = await search(page, "pedomter ");
  assert.deepEqual(r.results.map((x) => x.title), ["Community transport to appointments"]);
  assert.equal(r.status, "Nothing is spelt exactly “pedomter”: showing close spellings. 1 result");
  await page.close();
});

test("results with every word come first; those with some follow, naming the missing words", async () => {
  const page = await open("/search/");
  let r = await search(page, "falls classes ");
  assert.equal(r.results[0].title, "Falls exercise classes");
  assert.equal(r.results[0].missing, null);
  assert.ok(r.results.length >= 2, JSON.stringify(r.results));
  for (const x of r.results.slice(1)) assert.equal(x.missing, "Does not mention: classes");
  assert.equal(r.status, `1 result. Below them, ${r.results.length - 1} with only some of the words.`);
  r = await search(page, "pedometer zebra ");
  assert.deepEqual(r.results.map((x) => [x.title, x.missing]), [
    ["Community transport to appointments", "Does not mention: zebra"],
  ]);
  assert.equal(r.status, "No result has every word; these have some of them.");
  await page.close();
});

test("the report's actions are found, by their words and their synonyms, and link to where they are listed", async () => {
  const page = await open("/search/");
  const r = await search(page, "frail elderly ");
  const action = r.results.find((x) => x.action);
  assert.ok(action, JSON.stringify(r.results));
  assert.equal(action.title, "Agree one referral route for frail older people to the falls service.");
  assert.equal(action.facts, "Action from the report · Powys Teaching Health Board");
  assert.equal(action.href, "/regions/powys/#actions-heading");
  assert.equal(action.missing, null, "“elderly” is a synonym of “older people”");
  await page.close();
});

test("a study is found by its health board's name", async () => {
  const page = await open("/search/");
  const r = await search(page, "cardiff ");
  assert.deepEqual(r.results.map((x) => x.title), ["Physiotherapists in practices"]);
  await page.close();
});

test("when nothing matches, every topic is offered; a word of a topic's name offers that topic", async () => {
  const page = await open("/search/");
  const r = await search(page, "zzzqqq ");
  assert.equal(r.results.length, 0);
  assert.ok(r.suggestions.includes("/topics/frailty/"), r.suggestions.join(" "));
  assert.ok(r.suggestions.includes("/topics/msk/"));
  // A word that begins a topic's label offers that topic, above the results.
  const again = await search(page, "frail ");
  assert.deepEqual(again.suggestions, ["/topics/frailty/"]);
  assert.deepEqual((await search(page, "falls ")).suggestions, []);
  await page.close();
});
