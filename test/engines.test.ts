import fs from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// semver is already in the tree (npm's own range rules); no types are installed for it.
const semver = createRequire(import.meta.url)("semver") as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
};

describe("the Node versions package.json promises", () => {
  it("every locked package supports the lowest Node that engines admits (npm ci prints no EBADENGINE)", () => {
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8")) as { engines: { node: string } };
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8")) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
    };
    const lowest = semver.minVersion(pkg.engines.node)!.version;
    expect(lowest).toBe("20.19.0");
    const refusing = Object.entries(lock.packages)
      .filter(
        ([name, p]) =>
          name !== "" &&
          !p.optional &&
          p.engines &&
          !Array.isArray(p.engines) &&
          p.engines.node &&
          !semver.satisfies(lowest, p.engines.node),
      )
      .map(([name, p]) => `${name}@${p.version} needs node ${(p.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
  });
});
