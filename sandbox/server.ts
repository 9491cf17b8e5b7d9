import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { addFault, clearFaults, clearRequestLog, json, logRequest, renderFault, requestLog, takeFault, type Fault, type SandboxRequest, type SandboxResponse } from "./lib.ts";
import { providers } from "./providers/index.ts";
import { changed, closeState, openState } from "./state.ts";
import { startImapServer } from "./imap-server.ts";
import { startSmtpServer } from "./smtp-server.ts";
import { endpoints as icloudEndpoints } from "./providers/icloud.ts";
import { loopbackCert } from "./loopback-cert.ts";

/**
 * The sandbox providers: local stand-ins speaking each provider's real HTTP protocol.
 * Provider traffic: /<provider>/<real host>/<real path>  (see worker/connectors/http.ts providerUrl)
 * Control: POST/DELETE /_sandbox/faults, GET/DELETE /_sandbox/requests, /_sandbox/<provider>/<action>
 */
export type Sandbox = { url: string; close(): Promise<void> };

async function route(req: SandboxRequest): Promise<SandboxResponse> {
  const segments = req.url.pathname.split("/").filter(Boolean);
  if (req.url.pathname === "/health") return json(200, { ok: true, providers: providers.map((p) => p.id) });
  if (segments[0] === "_sandbox") {
    if (segments[1] === "faults") {
      if (req.method === "DELETE") {
        clearFaults(req.url.searchParams.get("provider") ?? undefined);
        return json(200, { ok: true });
      }
      const body = JSON.parse(req.body.toString("utf8") || "{}") as Fault | Fault[];
      for (const f of Array.isArray(body) ? body : [body]) addFault(f);
      return json(201, { ok: true });
    }
    if (segments[1] === "busy") {
      if (req.method === "DELETE") busy.clear();
      return json(200, { busy: Object.fromEntries(busy) });
    }
    if (segments[1] === "requests") {
      if (req.method === "DELETE") {
        clearRequestLog();
        return json(200, { ok: true });
      }
      return json(200, { requests: requestLog(req.url.searchParams.get("provider") ?? undefined) });
    }
    const provider = providers.find((p) => p.id === segments[1]);
    const res = provider?.control ? await provider.control(req, segments.slice(2).join("/")) : null;
    if (req.method !== "GET") changed();
    return res ?? json(404, { error: "unknown control endpoint" });
  }
  // The stripe SDK points at the sandbox by host/port/protocol only, so its API paths arrive at /v1/….
  if (segments[0] === "v1") segments.unshift("stripe", "api.stripe.com");
  const provider = providers.find((p) => p.id === segments[0]);
  if (!provider || segments.length < 2) return json(404, { error: "not_found" });
  const withHost: SandboxRequest = { ...req, host: segments[1]!, path: "/" + segments.slice(2).join("/") };
  logRequest(provider.id, withHost);
  const fault = takeFault(provider.id, withHost);
  if (fault) return (fault.kind !== "redirect" && provider.renderFault?.(fault, withHost)) || renderFault(fault);
  const t0 = performance.now();
  try {
    return (await provider.handle(withHost)) ?? json(404, { error: "not_found", path: withHost.path });
  } finally {
    const b = busy.get(provider.id) ?? { requests: 0, ms: 0 };
    b.requests++;
    b.ms += performance.now() - t0;
    busy.set(provider.id, b);
  }
}

/** Time spent inside each provider's handler (GET/DELETE /_sandbox/busy): what a benchmark subtracts as "the sandbox's own time". */
const busy = new Map<string, { requests: number; ms: number }>();

/** `stateFile`: keep what the sandbox issued across restarts in this file (in memory only without it). */
export async function startSandbox(opts: { port: number; host?: string; stateFile?: string }): Promise<Sandbox> {
  if (opts.stateFile) openState(opts.stateFile);
  let origin = "";
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", origin);
    let out: SandboxResponse;
    try {
      out = await route({ method: req.method ?? "GET", url, host: "", path: url.pathname, headers: req.headers, body: Buffer.concat(chunks), origin });
    } catch (err) {
      out = json(500, { error: "sandbox_error", message: String(err) });
    }
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(out.status, out.headers ?? {});
      res.end(out.body ?? "");
    };
    if (out.delayMs) {
      const timer = setTimeout(send, out.delayMs);
      res.on("close", () => clearTimeout(timer));
    } else send();
  });
  // Longer than workerd keeps an idle upstream connection: with Node's 5 s default, a request sent on a
  // connection just as Node closed it failed in the Worker with "Network connection lost" (seen on a
  // loaded machine during the demo seed). Real providers keep connections far longer.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  // iCloud Mail is IMAP + SMTP over TCP: plain-TCP servers on loopback, found through /_sandbox/icloud/endpoints.
  const imap = await startImapServer(Number(process.env.SANDBOX_IMAP_PORT ?? 0));
  const smtp = await startSmtpServer(Number(process.env.SANDBOX_SMTP_PORT ?? 0));
  // The same server with STARTTLS, as smtp.mail.me.com:587 is (a self-signed loopback certificate
  // that the unit tests' workerd trusts: vitest.config.ts).
  const { key, cert } = loopbackCert(path.join(import.meta.dirname, ".."));
  const smtpTls = await startSmtpServer(0, { tls: { key, cert } });
  icloudEndpoints.imap.port = imap.port;
  icloudEndpoints.smtp.port = smtp.port;
  icloudEndpoints.smtpStarttls.port = smtpTls.port;
  return {
    url: origin,
    close: async () => {
      await Promise.all([imap.close(), smtp.close(), smtpTls.close()]);
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        closeState();
      });
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.SANDBOX_PORT ?? 8790);
  const stateFile = process.env.SANDBOX_STATE_FILE || undefined;
  const sandbox = await startSandbox({ port, stateFile });
  console.log(`QWEB sandbox providers on ${sandbox.url}${stateFile ? ` (state kept in ${stateFile})` : ""}`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
