import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/server/config.ts";
import { webBuildStale } from "../../src/server/app/web-build.ts";

describe("when npm start rebuilds the web app", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mw-build-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const at = (file: string, seconds: number) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (!fs.existsSync(file)) fs.writeFileSync(file, "x");
    fs.utimesSync(file, seconds, seconds);
  };

  it("rebuilds when the build is missing or older than any source file, however deep", () => {
    const dist = path.join(dir, "dist");
    const src = path.join(dir, "src");
    const page = path.join(dir, "index.html");
    at(path.join(src, "pages/Home.tsx"), 1_000);
    at(page, 1_000);
    at(src, 1_000);
    at(path.join(src, "pages"), 1_000);
    expect(webBuildStale(dist, [src, page])).toBe(true);

    at(path.join(dist, "index.html"), 2_000);
    expect(webBuildStale(dist, [src, page, path.join(dir, "absent.ts")])).toBe(false);

    at(path.join(src, "pages/Home.tsx"), 3_000);
    expect(webBuildStale(dist, [src, page])).toBe(true);
  });
});

describe("MAILWRIGHT_WEB_BUILD", () => {
  it("builds at start by default; 0 turns it off (test harnesses, containers with a prebuilt app)", () => {
    expect(loadConfig({}).webBuild).toBe(true);
    expect(loadConfig({ MAILWRIGHT_WEB_BUILD: "0" }).webBuild).toBe(false);
    expect(loadConfig({}, { "web-build": "false" }).webBuild).toBe(false);
    expect(() => loadConfig({ MAILWRIGHT_WEB_BUILD: "sometimes" })).toThrow(ConfigError);
  });
});

describe("the web build at start", () => {
  it("runs Vite's own command in a child process, never Vite inside the server", async () => {
    const { viteBuildCommand } = await import("../../src/server/app/web-build.ts");
    const { command, args } = viteBuildCommand();
    expect(command).toBe(process.execPath);
    expect(fs.existsSync(args[0]!)).toBe(true);
    expect(args.slice(1, 3)).toEqual(["build", "--config"]);
  });
});
