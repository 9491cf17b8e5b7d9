// The mailbox's access token: refreshed ahead of expiry and once more after a 401; a refused
// refresh (revoked, expired grant) marks the mailbox as needing reconnection.
import { eq } from "drizzle-orm";
import { mailboxes } from "../../db/schema";
import type { Ctx } from "../../core/context";
import { ProviderError } from "../../connectors/http";
import { buildRuntime } from "../../connectors/runtime";
import { gmail } from "../../connectors/gmail";
import type { ConnectorRuntime, Secrets } from "../../connectors/types";
import { openMailboxSecrets, sealMailboxSecrets } from "./credentials";
import type { MailboxRow } from "./ingest";

export class MailboxNeedsReconnect extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "MailboxNeedsReconnect";
  }
}

const REFRESH_AHEAD_MS = 60_000;

export const gmailRuntime = (ctx: Ctx): ConnectorRuntime => buildRuntime(ctx.env, "gmail");

async function refresh(ctx: Ctx, mailbox: MailboxRow, secrets: Secrets): Promise<Secrets> {
  if (gmail.auth.kind !== "oauth2" || !gmail.auth.flow.refresh) return secrets;
  try {
    const grant = await gmail.auth.flow.refresh(gmailRuntime(ctx), { secrets, account: {} });
    await ctx.db.batch([
      ctx.db.update(mailboxes).set({ tokenExpiresAt: grant.expiresAt, updatedAt: ctx.now }).where(eq(mailboxes.id, mailbox.id)),
      ...(await sealMailboxSecrets(ctx.env, ctx.db, mailbox, grant.secrets, ctx.now)),
    ]);
    mailbox.tokenExpiresAt = grant.expiresAt;
    return { ...secrets, ...grant.secrets };
  } catch (err) {
    if (err instanceof ProviderError && (err.kind === "unauthorized" || err.kind === "permanent")) {
      const reason = `Gmail refused the stored authorization (${err.message}); reconnect the mailbox`;
      await ctx.db.update(mailboxes).set({ status: "needs_reconnect", lastError: reason, updatedAt: ctx.now }).where(eq(mailboxes.id, mailbox.id));
      throw new MailboxNeedsReconnect(reason);
    }
    throw err;
  }
}

/** Runs `fn` with valid credentials: refreshes ahead of expiry, and once after a 401. */
export async function withGmail<T>(ctx: Ctx, mailbox: MailboxRow, fn: (rt: ConnectorRuntime, s: Secrets) => Promise<T>): Promise<T> {
  let secrets = await openMailboxSecrets(ctx.env, ctx.db, mailbox);
  if (!secrets.accessToken && !secrets.refreshToken) throw new MailboxNeedsReconnect("No credentials are stored for this mailbox");
  if (mailbox.tokenExpiresAt !== null && mailbox.tokenExpiresAt <= ctx.now + REFRESH_AHEAD_MS) secrets = await refresh(ctx, mailbox, secrets);
  const rt = gmailRuntime(ctx);
  try {
    return await fn(rt, secrets);
  } catch (err) {
    if (!(err instanceof ProviderError) || err.kind !== "unauthorized") throw err;
    secrets = await refresh(ctx, mailbox, secrets);
    return fn(rt, secrets);
  }
}
