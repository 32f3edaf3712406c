import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package root: the nearest folder above this module holding a package.json. Found by
 * looking, not by a fixed number of `..`, because this code runs both from src/ (tests,
 * tsx) and bundled into dist/server/ (bin/mailwright.js).
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const WEB_DIST = path.join(PACKAGE_ROOT, "web/dist");
