// The demo seed (local only): each demo workspace's sandbox Meta connection brings its Pages' and
// Instagram accounts' comments into the inbox, first syncs done.
import type { Database } from "../../db/client";
import { ctxFromEnv } from "../../core/context";
import { getWorkspaceAccess } from "../../core/tenancy";
import { sandboxUrlOf } from "../../connectors/runtime";
import { readConfig } from "../../env";
import { connectComments } from "./comments";
import { mailboxStub } from "./mailboxes";

const SYNC_WAIT_MS = 60_000;

export async function seedDemoComments(env: Env, db: Database, ownerId: string, workspaces: { id: string; name: string }[]) {
  if (readConfig(env).APP_ENV !== "development" || !sandboxUrlOf(env)) return;
  const ids: string[] = [];
  for (const ws of workspaces) {
    const tenant = await getWorkspaceAccess(db, ownerId, ws.id);
    const boxes = await connectComments({ ctx: { ...ctxFromEnv(env), tenant } }).catch((err) => {
      console.warn(JSON.stringify({ level: "warn", event: "demo-comments-skipped", workspace: ws.name, error: err instanceof Error ? err.message : String(err) }));
      return [];
    });
    ids.push(...boxes.map((b) => b.id));
  }
  const until = Date.now() + SYNC_WAIT_MS;
  for (const id of ids) {
    while (Date.now() < until && (await mailboxStub(env, id).status()).state === "syncing") await new Promise((r) => setTimeout(r, 500));
  }
}
