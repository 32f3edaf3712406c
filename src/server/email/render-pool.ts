import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { type EmailParts, type RenderLimits, RenderLimitError, timeLimitMessage } from "./render.ts";
import type { RenderReply, RenderRequest } from "./render-worker.ts";

/** The renderer itself failed (a thread that cannot start, a closed pool): not the template's fault. */
export class RenderUnavailableError extends Error {}

/** Renders an email off the event loop; what every caller of Handlebars goes through. */
export interface Renderer {
  /** Rejects with RenderLimitError beyond a limit, with an Error for a template error. */
  render(parts: EmailParts, vars: Record<string, unknown>): Promise<EmailParts>;
  /**
   * Parses each named source (parsing alone can take Handlebars seconds): the problem of
   * each one that does not parse or uses refused syntax. Same limits as a render.
   */
  check(sources: Record<string, string>): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export interface RenderPoolOptions {
  limits: RenderLimits;
  /** Render threads (each renders one template at a time). */
  threads: number;
  /** Heap of each thread, in MB (V8's old generation). */
  memoryMb: number;
}

type Job = { kind: "render"; parts: EmailParts; vars: Record<string, unknown> } | { kind: "check"; sources: Record<string, string> };

interface Task {
  id: number;
  job: Job;
  resolve: (result: never) => void;
  reject: (err: Error) => void;
  /** Retried once in a fresh thread after running out of memory (a thread's cache may be to blame). */
  retried: boolean;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

// Past the render's own deadline (checked at every loop iteration, so it usually wins with
// its own message), the thread gets this long before it is terminated.
const GRACE_MS = 100;

/**
 * How to start the worker: from the TypeScript source (tests, `MAILWRIGHT_SERVER_BUILD=0`)
 * through tsx, registered inside the thread (Node 20 ignores `--import` in a worker's
 * execArgv for its entry); from the esbuild bundle, its `render-worker.js` entry, beside
 * `cli.js` while this code may sit in `chunks/`.
 */
function startWorker(resourceLimits: { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number }): Worker {
  const here = import.meta.url;
  if (here.endsWith(".ts")) {
    const tsx = import.meta.resolve("tsx/esm/api");
    const entry = new URL("./render-worker.ts", here).href;
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(boot, { eval: true, resourceLimits });
  }
  const entry = ["./render-worker.js", "../render-worker.js"].map((p) => new URL(p, here)).find((u) => existsSync(u));
  if (!entry) throw new Error(`render-worker.js not found beside ${here}`);
  return new Worker(entry, { resourceLimits });
}

/**
 * A small pool of render threads. Handlebars is synchronous and its compiler is superlinear
 * (a 100 KB template can take seconds and hundreds of MB), so no render runs on the event
 * loop: each runs in a thread with a heap limit and a wall-clock limit, and a thread past
 * either is terminated and replaced (the render fails with the limit it broke). Threads
 * start on first use and keep the process alive only while they render. A render costs one message round
 * trip (~0.1 ms) over rendering in place.
 */
export function renderPool(opts: RenderPoolOptions): Renderer {
  const threads: Thread[] = [];
  const queue: Task[] = [];
  let nextId = 1;
  let closed = false;
  const resourceLimits = {
    maxOldGenerationSizeMb: opts.memoryMb,
    maxYoungGenerationSizeMb: Math.max(4, Math.min(32, Math.floor(opts.memoryMb / 8))),
  };

  /** A thread keeps the process alive only while it renders (or starts up for a waiting render). */
  function holdOpen(thread: Thread): void {
    if (thread.task) thread.worker.ref();
    else thread.worker.unref();
  }

  function settle(thread: Thread): Task | null {
    const task = thread.task;
    thread.task = null;
    if (thread.timer) clearTimeout(thread.timer);
    thread.timer = null;
    return task;
  }

  function discard(thread: Thread): void {
    const i = threads.indexOf(thread);
    if (i >= 0) threads.splice(i, 1);
    void thread.worker.terminate();
  }

  function spawn(): void {
    const thread: Thread = { worker: startWorker(resourceLimits), ready: false, task: null, timer: null };
    threads.push(thread);
    thread.worker.on("message", (reply: RenderReply) => {
      if ("ready" in reply) {
        thread.ready = true;
        dispatch();
        return holdOpen(thread);
      }
      const task = settle(thread);
      if (task && task.id === reply.id) {
        if (reply.ok) task.resolve(reply.result as never);
        else task.reject(reply.limit ? new RenderLimitError(reply.message) : new Error(reply.message));
      }
      dispatch();
      holdOpen(thread);
    });
    thread.worker.on("error", (err: Error & { code?: string }) => {
      const task = settle(thread);
      discard(thread);
      if (err.code === "ERR_WORKER_OUT_OF_MEMORY") {
        if (task && !task.retried) queue.unshift({ ...task, retried: true });
        else task?.reject(new RenderLimitError(`render memory limit of ${opts.memoryMb} MB exceeded`));
      } else if (!thread.ready) {
        // The thread could not even start: every render would fail the same way.
        for (const t of [...(task ? [task] : []), ...queue.splice(0)])
          t.reject(new RenderUnavailableError(`render thread failed to start: ${err.message}`));
        return;
      } else {
        task?.reject(new RenderUnavailableError(`render thread failed: ${err.message}`));
      }
      dispatch();
    });
    thread.worker.on("exit", () => {
      const task = settle(thread);
      discard(thread);
      task?.reject(new RenderUnavailableError("render thread exited"));
      if (!closed) dispatch();
    });
  }

  function dispatch(): void {
    if (closed) return;
    while (queue.length > 0) {
      const idle = threads.find((t) => t.ready && t.task === null);
      if (!idle) {
        // Threads still starting take the waiting renders once ready.
        const starting = threads.filter((t) => !t.ready).length;
        for (let n = starting; n < queue.length && threads.length < opts.threads; n++) spawn();
        return;
      }
      const task = queue.shift()!;
      idle.task = task;
      idle.timer = setTimeout(() => {
        const overrun = settle(idle);
        discard(idle);
        overrun?.reject(new RenderLimitError(timeLimitMessage(opts.limits.timeoutMs)));
        dispatch();
      }, opts.limits.timeoutMs + GRACE_MS);
      const request: RenderRequest =
        task.job.kind === "render" ? { id: task.id, ...task.job, limits: opts.limits } : { id: task.id, ...task.job };
      idle.worker.postMessage(request);
      holdOpen(idle);
    }
  }

  function run<T>(job: Job): Promise<T> {
    if (closed) return Promise.reject(new RenderUnavailableError("the renderer is closed"));
    return new Promise<T>((resolve, reject) => {
      queue.push({ id: nextId++, job, resolve: resolve as (r: never) => void, reject, retried: false });
      dispatch();
    });
  }

  return {
    render: (parts, vars) => run<EmailParts>({ kind: "render", parts, vars }),
    check: (sources) => run<Record<string, string>>({ kind: "check", sources }),
    async close() {
      closed = true;
      for (const t of queue.splice(0)) t.reject(new RenderUnavailableError("the renderer is closed"));
      await Promise.all(threads.splice(0).map((t) => t.worker.terminate()));
    },
  };
}
