import { once } from "node:events";
import { createServer } from "node:net";

/** A port the OS just handed out; the tiny race before a child process binds it is acceptable in tests and benchmarks. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, "127.0.0.1");
  await once(srv, "listening");
  const addr = srv.address();
  await new Promise((r) => srv.close(r));
  if (addr === null || typeof addr === "string") throw new Error("no port");
  return addr.port;
}
