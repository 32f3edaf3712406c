#!/usr/bin/env node
// Runs the server bundled into dist/server/ (built on first start and whenever a source
// file is newer; see server-build.js), so `npm start` needs no build step of its own.
import { pathToFileURL } from "node:url";
import { serverEntry } from "./server-build.js";

process.setSourceMapsEnabled(true);
const { runCli } = await import(pathToFileURL(await serverEntry()).href);
process.exitCode = await runCli(process.argv.slice(2));
