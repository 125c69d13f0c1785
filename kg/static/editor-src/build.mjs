// Bundles editor.mjs into ../codemirror.js (one minified IIFE, global KGEditor) and writes
// ../codemirror.LICENSE: the MIT licences of every package in the bundle, with their versions.
import {build} from "esbuild";
import {readFileSync, writeFileSync, existsSync} from "node:fs";

const version = p => JSON.parse(readFileSync(`node_modules/${p}/package.json`, "utf8")).version;
const result = await build({
  entryPoints: ["editor.mjs"], bundle: true, minify: true, format: "iife", globalName: "KGEditor",
  target: "es2019", legalComments: "none", metafile: true, outfile: "../codemirror.js",
  banner: {js: "/* CodeMirror 6 with its SPARQL mode for kg serve's query page. MIT licence: codemirror.LICENSE."
               + " Built from kg/static/editor-src (npm ci && npm run build). */"},
  define: {VIEW_VERSION: JSON.stringify(version("@codemirror/view"))},
});
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) packages.add(m[1]);
}
let text = "kg/static/codemirror.js bundles these packages (npm registry), each under the MIT licence below:\n\n";
for (const p of [...packages].sort()) text += `  ${p} ${version(p)}\n`;
for (const p of [...packages].sort()) {
  const file = ["LICENSE", "LICENSE.md", "LICENSE.txt"].map(f => `node_modules/${p}/${f}`).find(existsSync);
  text += `\n----------------------------------------------------------------- ${p}\n\n` + readFileSync(file, "utf8");
}
writeFileSync("../codemirror.LICENSE", text);
console.log([...packages].sort().join(" "));
