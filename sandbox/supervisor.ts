// For the workerd tests (started by their global setup, in Node): a second sandbox in its own process, with a state file,
// that a test can restart for real (POST /start, POST /restart) to prove what it keeps.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const server = path.join(import.meta.dirname, "server.ts");

export async function startSupervisor() {
  const dir = mkdtempSync(path.join(tmpdir(), "qweb-sandbox-state-"));
  const stateFile = path.join(dir, "sandbox-state.json");
  let child: ChildProcess | null = null;
  let port = 0;

  async function launch(): Promise<string> {
    const c = spawn(process.execPath, [server], {
      env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_STATE_FILE: stateFile },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child = c;
    let out = "";
    for await (const chunk of c.stdout!) {
      out += String(chunk);
      const m = /on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (m) {
        port = Number(m[2]);
        return m[1]!;
      }
    }
    throw new Error(`sandbox exited before it listened: ${out}`);
  }
  async function stop() {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    c.kill("SIGTERM");
    await once(c, "exit");
  }

  const supervisor = http.createServer(async (req, res) => {
    try {
      if (req.method === "POST" && req.url === "/restart") await stop();
      const url = child ? `http://127.0.0.1:${port}` : await launch();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ url }));
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((resolve) => supervisor.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(supervisor.address() as AddressInfo).port}`,
    async close() {
      await stop();
      supervisor.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
