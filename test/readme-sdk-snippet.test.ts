import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

/** The README's TypeScript block that follows `heading`, as a reader would paste it. */
function snippetAfter(heading: string): string {
  const readme = fs.readFileSync(path.resolve("README.md"), "utf8");
  const at = readme.indexOf(heading);
  expect(at).toBeGreaterThan(0);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  expect(block).not.toBeNull();
  return block![1]!;
}

/** Typechecks a module placed inside the package (so `mailtrap` resolves) with the project's options. */
function typeErrors(dir: string, source: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "snippet.ts");
  fs.writeFileSync(file, `declare const TOKEN: string;\n${source}\nexport {};\n`);
  const config = ts.getParsedCommandLineOfConfigFile(
    path.resolve("tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  )!;
  const program = ts.createProgram([file], { ...config.options, noEmit: true });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("the README's SDK snippet", () => {
  const dir = path.resolve(`test/.readme-snippet-${process.pid}`);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("compiles under the project's strict TypeScript settings", () => {
    expect(typeErrors(dir, snippetAfter("With the official SDK"))).toEqual([]);
  }, 60_000);

  it("would not compile reaching for the SDK's private axios directly (what it used to do)", () => {
    const old = `import { MailtrapClient } from "mailtrap";\nconst client = new MailtrapClient({ token: TOKEN, accountId: 1 });\nclient.axios.interceptors.request.use((c) => c);\n`;
    expect(typeErrors(dir, old).join("\n")).toMatch(/private/);
  }, 60_000);
});
