// Screenshots of this repository's site for looking at a change:
//   node tests/tools/screenshots.mjs '[["/", 1280, "home"], ["/cy/search/?q=cartref", 390, "search-cy"]]'
// builds the site, serves it as the browser tests do, and writes /tmp/<name>.png (full page).
import { build, serve, launch, repo } from "../browser/harness.mjs";
// HUB_ROOT builds another hub root (a fixture) instead of this repository.
const site = build(process.env.HUB_ROOT || repo);
const server = await serve(site);
const browser = await launch();
for (const [path, w, name] of JSON.parse(process.argv[2])) {
  const page = await browser.newPage({ viewport: { width: w, height: 900 } });
  await page.goto(server.url + path);
  await page.waitForTimeout(path.includes("?q=") ? 1200 : 300);
  await page.screenshot({ path: `/tmp/${name}.png`, fullPage: true });
  await page.close();
}
await browser.close();
await server.close();
