import { build, serve, launch, repo } from "./browser/harness.mjs";
const site = build(repo);
const server = await serve(site);
const browser = await launch();
for (const [path, w, name] of JSON.parse(process.argv[2])) {
  const page = await browser.newPage({ viewport: { width: w, height: 900 } });
  await page.goto(server.url + path);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `/tmp/${name}.png`, fullPage: true });
  await page.close();
}
await browser.close(); await server.close();
