import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testApp } from "../helpers/test-app.ts";

describe("first-run setup beyond loopback", () => {
  it("asks for the one-time setup code kept in the data dir, so the first stranger cannot become admin", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mw-setup-"));
    const t = await testApp("sqlite", { MAILWRIGHT_HOST: "0.0.0.0", MAILWRIGHT_DATA_DIR: dataDir });
    try {
      const file = path.join(dataDir, "setup-code");
      const code = fs.readFileSync(file, "utf8").trim();
      expect(code.length).toBeGreaterThanOrEqual(20);
      expect(fs.statSync(file).mode & 0o077).toBe(0);
      const setup = (body: Record<string, string>) =>
        t.app.inject({
          method: "POST",
          url: "/api/setup",
          headers: { "content-type": "application/json" },
          payload: JSON.stringify({ email: "admin@example.com", password: "a long enough password", ...body }),
        });
      const missing = await setup({});
      expect(missing.statusCode).toBe(422);
      expect(missing.json().errors.setup_code[0]).toMatch(/is required/);
      const wrong = await setup({ setup_code: "guess-guess-guess-guess" });
      expect(wrong.json()).toEqual({ errors: { setup_code: ["is wrong"] } });
      // The web app learns from the session that its setup form must ask for the code.
      expect((await t.app.inject({ method: "GET", url: "/api/session" })).json().data).toMatchObject({
        setup_required: true,
        setup_code_required: true,
      });
      const ok = await setup({ setup_code: code });
      expect((await t.app.inject({ method: "GET", url: "/api/session" })).json().data).toMatchObject({
        setup_required: false,
        setup_code_required: false,
      });
      expect(ok.statusCode, ok.body).toBe(201);
      expect((await setup({ setup_code: code })).statusCode).toBe(409);
    } finally {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("needs no code on a loopback address", async () => {
    const t = await testApp("sqlite");
    try {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/setup",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ email: "admin@example.com", password: "a long enough password" }),
      });
      expect(res.statusCode, res.body).toBe(201);
    } finally {
      await t.close();
    }
  });
});
