import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { serverEntry } from "../../bin/server-build.js";

// bin/mailwright.js runs the server bundled into dist/server/: built when missing, rebuilt
// when a source is newer, and the TypeScript itself (through tsx) when asked.
describe("the server bundle the CLI runs", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "mw-build-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string, mtimeSeconds: number) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
    fs.utimesSync(path.join(root, file), mtimeSeconds, mtimeSeconds);
  };
  // A package of the same shape: the CLI module imports the pure core, lazily the HTTP side.
  const project = (answer: string, mtimeSeconds: number) => {
    write("package.json", JSON.stringify({ name: "fixture", type: "module" }), 1_000);
    write("src/core/answer.ts", `export const answer: string = ${JSON.stringify(answer)};`, mtimeSeconds);
    write("src/server/http/lazy.ts", `export const lazy = "http side";`, 1_000);
    write(
      "src/server/app/cli.ts",
      `import { answer } from "../../core/answer.ts";\nexport async function runCli(): Promise<string> { return answer + " / " + (await import("../http/lazy.ts")).lazy; }`,
      1_000,
    );
    // Folders count too (a file removed or renamed changes its folder): just made, they would
    // be newer than a build started within the same millisecond.
    for (const dir of ["src/server/http", "src/server/app", "src/server", "src/core", "src"])
      fs.utimesSync(path.join(root, dir), 1_000, 1_000);
  };
  const runEntry = async (entry: string) =>
    ((await import(`${pathToFileURL(entry).href}?t=${Date.now()}`)) as { runCli(): Promise<string> }).runCli();

  it("builds once, reuses the build while no source is newer, rebuilds when one is", async () => {
    project("first", 1_000);
    const first = await serverEntry(root);
    expect(first.startsWith(path.join(root, "dist/server"))).toBe(true);
    expect(await runEntry(first)).toBe("first / http side");
    // The dynamic import is a chunk of its own: a worker does not load the HTTP side.
    expect(fs.readdirSync(path.join(path.dirname(first), "chunks")).length).toBeGreaterThan(0);

    expect(await serverEntry(root)).toBe(first);

    project("second", Date.now() / 1000 + 60);
    const second = await serverEntry(root);
    expect(second).not.toBe(first);
    expect(await runEntry(second)).toBe("second / http side");
  });

  it("MAILWRIGHT_SERVER_BUILD=0 runs the TypeScript sources", async () => {
    project("source", 1_000);
    process.env["MAILWRIGHT_SERVER_BUILD"] = "0";
    try {
      expect(await serverEntry(root)).toBe(path.join(root, "src/server/app/cli.ts"));
    } finally {
      delete process.env["MAILWRIGHT_SERVER_BUILD"];
    }
  });
});
