import { defineConfig } from "vitest/config";

/** End-to-end tests in Chromium. */
const BROWSER = ["test/e2e/new-user.test.ts", "test/e2e/builder-scale.test.ts", "test/e2e/runs-inspector.test.ts"];

export default defineConfig({
  test: {
    globalSetup: ["test/helpers/global-setup.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "main", include: ["test/**/*.test.ts"], exclude: ["test/chaos/**", ...BROWSER], sequence: { groupOrder: 0 } },
      },
      {
        // A real server and Chromium per file: on two shared cores they run alone, after the
        // rest, so a loaded machine slows them down without making them flaky.
        extends: true,
        test: { name: "browser", include: BROWSER, fileParallelism: false, testTimeout: 180_000, sequence: { groupOrder: 1 } },
      },
      {
        // Whole-process tests (worker fleets, kill -9, a PostgreSQL restart) run after the
        // rest, one file at a time: they load both cores and one of them restarts the database.
        extends: true,
        test: {
          name: "chaos",
          include: ["test/chaos/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 240_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
