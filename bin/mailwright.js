#!/usr/bin/env node
// Loads the TypeScript sources through tsx so `npm start` needs no build step.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/server/cli.ts");
process.exitCode = await runCli(process.argv.slice(2));
