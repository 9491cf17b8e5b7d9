import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The sandbox providers: local stand-ins speaking each provider's real HTTP protocol.
 * Each provider mounts its handler under /<provider>/ (see sandbox/providers/).
 */
export type Sandbox = { url: string; close(): Promise<void> };

export async function startSandbox(opts: { port: number; host?: string }): Promise<Sandbox> {
  const server = http.createServer((req, res) => {
    if (req.url === "/health") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "not_found" }));
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.SANDBOX_PORT ?? 8790);
  const sandbox = await startSandbox({ port });
  console.log(`QWEB sandbox providers on ${sandbox.url}`);
}
