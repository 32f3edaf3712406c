// The staleness rule of both builds the CLI makes: the server bundle (server-build.js) and
// the web app (src/server/app/web-build.ts). Plain JavaScript: bin/ runs before any TypeScript.
import fs from "node:fs";
import path from "node:path";

/** The newest modification time in a file or folder tree, in ms; 0 when it does not exist. */
export function newestMtime(target) {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}
