import { fork } from "node:child_process";
import { stopChild } from "./server-process.ts";

const READY_TIMEOUT_MS = 60_000;

/** A message a bench child sends its parent over IPC. */
export interface ChildMessage {
  type: string;
  [k: string]: unknown;
}

/** A benchmark helper (ceiling server, peer worker) in its own Node process, talking over IPC. */
export interface TsxChild {
  pid: number;
  /** The fields of its "ready" message (e.g. the port it listens on). */
  ready: Record<string, unknown>;
  onMessage(fn: (m: ChildMessage) => void): void;
  send(m: unknown): void;
  stop(): Promise<void>;
}

/**
 * Starts `file` (TypeScript, run through tsx like the server) with `env` added to the
 * parent's environment minus MAILWRIGHT_*, and waits for its `{ type: "ready" }` message.
 */
export async function startTsxChild(file: string, env: Record<string, string>): Promise<TsxChild> {
  const child = fork(file, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("MAILWRIGHT_"))), ...env },
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} not ready after ${READY_TIMEOUT_MS} ms:\n${output}`)), READY_TIMEOUT_MS);
    child.on("message", (m: ChildMessage) => {
      if (m.type === "ready") {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code} before it was ready:\n${output}`));
    });
  }).catch((err: unknown) => {
    child.kill("SIGKILL");
    throw err;
  });
  return {
    pid: child.pid ?? -1,
    ready,
    onMessage: (fn) => void child.on("message", fn),
    send: (m) => void child.send(m as never),
    stop: () => stopChild(child, () => output),
  };
}
