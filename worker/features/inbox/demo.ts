// The demo seed (local only): each demo workspace connects a sandbox Gmail mailbox named for it,
// through the same OAuth path a browser takes (the sandbox answers prompt=none with a code).
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { mailboxes } from "../../db/schema";
import { ctxFromEnv } from "../../core/context";
import { consumeOAuthState } from "../integrations";
import { getWorkspaceAccess } from "../../core/tenancy";
import { mailboxStub, saveMailbox, startGmailConnect } from "./mailboxes";
import { sandboxUrlOf } from "../../connectors/runtime";
import { readConfig } from "../../env";

export async function connectDemoMailbox(env: Env, db: Database, ownerId: string, ws: { id: string; name: string }, address: string) {
  const [have] = await db.select({ id: mailboxes.id }).from(mailboxes).where(and(eq(mailboxes.workspaceId, ws.id), isNull(mailboxes.disconnectedAt))).limit(1);
  if (have) return have.id;
  const tenant = await getWorkspaceAccess(db, ownerId, ws.id);
  const { started, browserNonce } = await startGmailConnect({ ctx: { ...ctxFromEnv(env), tenant }, input: { loginHint: address } });
  const url = new URL(started.authorizeUrl);
  url.searchParams.set("prompt", "none");
  const res = await fetch(url, { redirect: "manual" });
  await res.body?.cancel();
  const location = res.headers.get("location");
  if (!location) throw new Error(`Gmail sandbox did not redirect back (${res.status})`);
  const query = Object.fromEntries(new URL(location).searchParams);
  const consumed = await consumeOAuthState(env, db, query.state ?? "", browserNonce);
  if ("refused" in consumed || !query.code) throw new Error("Gmail demo connect: OAuth state lost");
  return (await saveMailbox(env, db, consumed.state, query.code)).id;
}

const SYNC_WAIT_MS = 60_000;

/**
 * Local demo only (APP_ENV=development with the sandbox): each demo workspace gets the Gmail
 * mailbox `hello@<workspace-slug>.example` with its first sync done. Idempotent.
 */
export async function seedDemoMailboxes(env: Env, db: Database, ownerId: string, workspaces: { id: string; name: string }[]) {
  if (readConfig(env).APP_ENV !== "development" || !sandboxUrlOf(env)) return;
  const ids: string[] = [];
  for (const ws of workspaces) {
    const slug = ws.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    ids.push(await connectDemoMailbox(env, db, ownerId, ws, `hello@${slug}.example`));
  }
  const until = Date.now() + SYNC_WAIT_MS;
  for (const id of ids) {
    while (Date.now() < until && (await mailboxStub(env, id).status()).state === "syncing") await new Promise((r) => setTimeout(r, 500));
  }
}
