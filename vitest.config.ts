import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["test/helpers/global-setup.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "main", include: ["test/**/*.test.ts"], exclude: ["test/chaos/**"], sequence: { groupOrder: 0 } },
      },
      {
        // Whole-process tests (worker fleets, kill -9, a PostgreSQL restart) run after the
        // rest, one file at a time: they load both cores and one of them restarts the database.
        extends: true,
        test: { name: "chaos", include: ["test/chaos/**/*.test.ts"], fileParallelism: false, testTimeout: 240_000, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
