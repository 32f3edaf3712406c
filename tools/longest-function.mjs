#!/usr/bin/env node
// Prints the longest functions (declarations, methods, arrows, function expressions,
// accessors) in the TypeScript files under a folder, longest first, with their line counts
// as written (first line to last). Usage: node tools/longest-function.mjs <folder…> [--top N]
// [--max L]; --max exits 1 when any function is L lines or longer.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  args.splice(i, 2);
  return v;
};
const top = option("--top", 10);
const max = option("--max", Number.POSITIVE_INFINITY);
const roots = args.length > 0 ? args : ["src"];

function filesUnder(p) {
  const st = fs.statSync(p);
  if (st.isFile()) return /\.tsx?$/.test(p) ? [p] : [];
  return fs.readdirSync(p, { withFileTypes: true }).flatMap((e) => (e.name === "node_modules" ? [] : filesUnder(path.join(p, e.name))));
}

function nameOf(node) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  if (parent && ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText().slice(0, 40)})`;
  return "(anonymous)";
}

const found = [];
for (const file of roots.flatMap(filesUnder)) {
  const text = fs.readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  (function visit(node) {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ lines: end - start + 1, where: `${path.relative(process.cwd(), file)}:${start + 1}`, name: nameOf(node) });
    }
    ts.forEachChild(node, visit);
  })(source);
}
found.sort((a, b) => b.lines - a.lines);
for (const f of found.slice(0, top)) console.log(`${String(f.lines).padStart(5)}  ${f.name}  ${f.where}`);
const over = found.filter((f) => f.lines >= max);
if (Number.isFinite(max)) console.log(`${over.length} function(s) of ${max} lines or more`);
process.exit(over.length > 0 ? 1 : 0);
