// The demo seed (local only): each demo workspace connects a sandbox Gmail, Outlook and iCloud
// mailbox named for it, through the paths a browser takes: OAuth (the sandbox answers prompt=none
// with a code) for Gmail and Outlook, the app-specific-password form (a real IMAP login) for iCloud.
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { mailboxes } from "../../db/schema";
import { ctxFromEnv } from "../../core/context";
import { consumeOAuthState } from "../integrations";
import { getWorkspaceAccess } from "../../core/tenancy";
import { mailboxStub, saveMailbox, startGmailConnect, startOutlookConnect } from "./mailboxes";
import { connectIcloud } from "./icloud";
import type { MailboxRow } from "./ingest";
import { sandboxUrlOf } from "../../connectors/runtime";
import { readConfig } from "../../env";

/** The sandbox iCloud accepts any well-formed app-specific password it has not seen revoked. */
export const DEMO_APP_PASSWORD = "qweb-demo-mail-pass";

const existing = async (db: Database, wsId: string, provider: MailboxRow["provider"]) =>
  (await db.select({ id: mailboxes.id }).from(mailboxes).where(and(eq(mailboxes.workspaceId, wsId), eq(mailboxes.provider, provider), isNull(mailboxes.disconnectedAt))).limit(1))[0]?.id;

export async function connectDemoMailbox(env: Env, db: Database, ownerId: string, ws: { id: string; name: string }, address: string, provider: "gmail" | "outlook" = "gmail") {
  const have = await existing(db, ws.id, provider);
  if (have) return have;
  const tenant = await getWorkspaceAccess(db, ownerId, ws.id);
  const start = provider === "outlook" ? startOutlookConnect : startGmailConnect;
  const { started, browserNonce } = await start({ ctx: { ...ctxFromEnv(env), tenant }, input: { loginHint: address } });
  const url = new URL(started.authorizeUrl);
  url.searchParams.set("prompt", "none");
  const res = await fetch(url, { redirect: "manual" });
  await res.body?.cancel();
  const location = res.headers.get("location");
  if (!location) throw new Error(`${provider} sandbox did not redirect back (${res.status})`);
  const query = Object.fromEntries(new URL(location).searchParams);
  const consumed = await consumeOAuthState({ ctx: { ...ctxFromEnv(env), db }, input: { state: query.state ?? "", browserNonce } });
  if ("refused" in consumed || !query.code) throw new Error(`${provider} demo connect: OAuth state lost`);
  return (await saveMailbox(env, db, consumed.state, query.code)).id;
}

export async function connectDemoIcloud(env: Env, db: Database, ownerId: string, ws: { id: string; name: string }, address: string) {
  const have = await existing(db, ws.id, "icloud");
  if (have) return have;
  const tenant = await getWorkspaceAccess(db, ownerId, ws.id);
  return (await connectIcloud({ ctx: { ...ctxFromEnv(env), tenant }, input: { address, appPassword: DEMO_APP_PASSWORD } })).id;
}

const SYNC_WAIT_MS = 60_000;

/**
 * Local demo only (APP_ENV=development with the sandbox): each demo workspace gets the Gmail
 * mailbox `hello@<slug>.example`, the Outlook mailbox `office@<slug>.example` and the iCloud
 * mailbox `<slug>@icloud.example`, with their first syncs done. Idempotent.
 */
export async function seedDemoMailboxes(env: Env, db: Database, ownerId: string, workspaces: { id: string; name: string }[]) {
  if (readConfig(env).APP_ENV !== "development" || !sandboxUrlOf(env)) return;
  const ids: string[] = [];
  for (const ws of workspaces) {
    const slug = ws.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    ids.push(await connectDemoMailbox(env, db, ownerId, ws, `hello@${slug}.example`));
    ids.push(await connectDemoMailbox(env, db, ownerId, ws, `office@${slug}.example`, "outlook"));
    ids.push(await connectDemoIcloud(env, db, ownerId, ws, `${slug}@icloud.example`));
  }
  const until = Date.now() + SYNC_WAIT_MS;
  for (const id of ids) {
    while (Date.now() < until && (await mailboxStub(env, id).status()).state === "syncing") await new Promise((r) => setTimeout(r, 500));
  }
}
