// ESLint: the recommended rules of JavaScript and typescript-eslint, React's hook rules in
// the web app. Formatting is Prettier's (`npm run format`), not a lint rule.
import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "web/dist/", "bench/results/", "coverage/", ".wt/", "data/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Types only where they are imported as types (verbatimModuleSyntax makes the compiler agree).
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  // The rules of hooks and their dependency lists (the React Compiler's newer rules are for code it compiles; this app is not).
  {
    files: ["web/src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
  // A migration describes the schema as it was then, so it must not be typed by today's (Kysely's own advice).
  { files: ["src/server/db/migrations/**"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
  // "No any in domain code" (CONVENTIONS.md): tests and benchmarks read JSON answers loosely.
  { files: ["test/**", "bench/**"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
  { files: ["bin/**/*.js", "tools/**/*.mjs", "eslint.config.js"], languageOptions: { globals: globals.node } },
);
