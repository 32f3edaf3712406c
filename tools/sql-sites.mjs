#!/usr/bin/env node
// Counts the places in src/server that build an SQL statement (Kysely's selectFrom,
// insertInto, updateTable, deleteFrom, and sql`…` templates) and the dialect branches
// (isPostgres, dialect === "postgres"/"sqlite", DialectName), and says which sit outside
// `*-repo.ts` files and `db/`, where CONVENTIONS.md says only those may write SQL and only
// db/ may differ by dialect. Usage: node tools/sql-sites.mjs [--list] [--strict]
// --strict exits 1 when any site is outside.
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

const SQL = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(<[^`]*>)?`/g;
const DIALECT =
  /\bisPostgres\(|dialect\s*[!=]==?\s*["'](postgres|sqlite)["']|["'](postgres|sqlite)["']\s*[!=]==?\s*\w*dialect|\bDialectName\b/gi;
const allowedSql = (rel) => rel.startsWith(`db${path.sep}`) || rel.endsWith("-repo.ts");
const allowedDialect = (rel) => rel.startsWith(`db${path.sep}`);

const count = { sql: 0, sqlOutside: [], dialect: 0, dialectOutside: [] };
for (const file of files) {
  const rel = path.relative(ROOT, file);
  const lines = fs.readFileSync(file, "utf8").split("\n");
  lines.forEach((line, i) => {
    if (/^\s*(\/\/|\*)/.test(line)) return;
    for (const _ of line.matchAll(SQL)) {
      count.sql++;
      if (!allowedSql(rel)) count.sqlOutside.push(`${rel}:${i + 1}`);
    }
    for (const _ of line.matchAll(DIALECT)) {
      count.dialect++;
      if (!allowedDialect(rel)) count.dialectOutside.push(`${rel}:${i + 1}`);
    }
  });
}
console.log(`SQL statement sites: ${count.sql}, outside *-repo.ts and db/: ${count.sqlOutside.length}`);
console.log(`dialect branches: ${count.dialect}, outside db/: ${count.dialectOutside.length}`);
if (process.argv.includes("--list")) {
  for (const s of count.sqlOutside) console.log(`  sql      ${s}`);
  for (const s of count.dialectOutside) console.log(`  dialect  ${s}`);
}
const outside = count.sqlOutside.length + count.dialectOutside.length;
process.exit(process.argv.includes("--strict") && outside > 0 ? 1 : 0);
