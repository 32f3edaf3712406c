#!/usr/bin/env node
// The folders of src/server as a graph (an edge per relative import from one folder into
// another), and every import that closes a cycle among them. The assembly (app/) may
// import every feature; no feature may import the assembly, and no two features each
// other. Exit 1 when any cycle is left. Usage: node tools/folder-graph.mjs [--list]
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "src", "server");
const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.tsx?$/.test(e.name)) files.push(p);
  }
})(ROOT);

/** The folder a file belongs to: its first path segment under src/server ("." for the root files). */
const folderOf = (file) => {
  const rel = path.relative(ROOT, file);
  return rel.includes(path.sep) ? rel.split(path.sep)[0] : ".";
};

const edges = new Map(); // from → to → [site]
for (const file of files) {
  const text = fs.readFileSync(file, "utf8");
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    const target = path.resolve(path.dirname(file), m[1]);
    if (!target.startsWith(ROOT + path.sep)) continue;
    const a = folderOf(file);
    const b = folderOf(target);
    if (a === b) continue;
    if (!edges.has(a)) edges.set(a, new Map());
    const to = edges.get(a);
    if (!to.has(b)) to.set(b, []);
    to.get(b).push(`${path.relative(ROOT, file)} → ${m[1]}`);
  }
}

// Tarjan's strongly connected components.
let index = 0;
const stack = [];
const meta = new Map();
const sccs = [];
function strong(v) {
  meta.set(v, { index, low: index, on: true });
  index++;
  stack.push(v);
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!meta.has(w)) {
      strong(w);
      meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
    } else if (meta.get(w).on) meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
  }
  if (meta.get(v).low === meta.get(v).index) {
    const comp = [];
    let w;
    do {
      w = stack.pop();
      meta.get(w).on = false;
      comp.push(w);
    } while (w !== v);
    if (comp.length > 1) sccs.push(comp);
  }
}
const nodes = new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])]);
for (const v of nodes) if (!meta.has(v)) strong(v);

let inCycles = 0;
const sites = [];
for (const comp of sccs) {
  const set = new Set(comp);
  for (const a of comp)
    for (const [b, list] of edges.get(a) ?? [])
      if (set.has(b)) {
        inCycles += list.length;
        sites.push(...list);
      }
}
console.log(`folders: ${nodes.size}, folders in cycles: ${sccs.reduce((n, c) => n + c.length, 0)}, imports inside cycles: ${inCycles}`);
if (process.argv.includes("--list") || sccs.length > 0) for (const s of sites) console.log(`  ${s}`);
process.exit(sccs.length > 0 ? 1 : 0);
