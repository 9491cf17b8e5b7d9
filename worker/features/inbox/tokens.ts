// The mailbox's access token (Gmail, Outlook): refreshed ahead of expiry and once more after a
// 401; a refused refresh (revoked, expired grant) marks the mailbox as needing reconnection.
// Outlook's refresh tokens rotate: the new one is sealed over the old one at each refresh.
import { eq } from "drizzle-orm";
import { mailboxes } from "../../db/schema";
import type { Ctx } from "../../core/context";
import { ProviderError } from "../../connectors/http";
import { buildRuntime } from "../../connectors/runtime";
import { gmail } from "../../connectors/gmail";
import { outlook } from "../../connectors/outlook";
import type { Connector, ConnectorRuntime, Secrets } from "../../connectors/types";
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

/** The OAuth connector of a mailbox's provider (iCloud has none: an app-specific password). */
export const oauthConnectorOf = (provider: MailboxRow["provider"]): Connector | null => (provider === "gmail" ? gmail : provider === "outlook" ? outlook : null);

async function refresh(ctx: Ctx, mailbox: MailboxRow, secrets: Secrets): Promise<Secrets> {
  const connector = oauthConnectorOf(mailbox.provider);
  if (!connector || connector.auth.kind !== "oauth2" || !connector.auth.flow.refresh) return secrets;
  try {
    const grant = await connector.auth.flow.refresh(buildRuntime(ctx.env, connector.id), { secrets, account: {} });
    await ctx.db.batch([
      ctx.db.update(mailboxes).set({ tokenExpiresAt: grant.expiresAt, updatedAt: ctx.now }).where(eq(mailboxes.id, mailbox.id)),
      ...(await sealMailboxSecrets(ctx.env, ctx.db, mailbox, grant.secrets, ctx.now)),
    ]);
    mailbox.tokenExpiresAt = grant.expiresAt;
    return { ...secrets, ...grant.secrets };
  } catch (err) {
    if (err instanceof ProviderError && (err.kind === "unauthorized" || err.kind === "permanent")) {
      const reason = `${connector.name} refused the stored authorization (${err.message}); reconnect the mailbox`;
      await ctx.db.update(mailboxes).set({ status: "needs_reconnect", lastError: reason, updatedAt: ctx.now }).where(eq(mailboxes.id, mailbox.id));
      throw new MailboxNeedsReconnect(reason);
    }
    throw err;
  }
}

/** Runs `fn` with valid credentials: refreshes ahead of expiry, and once after a 401. */
export async function withGmail<T>(ctx: Ctx, mailbox: MailboxRow, fn: (rt: ConnectorRuntime, s: Secrets) => Promise<T>): Promise<T> {
  return withMailboxToken(ctx, mailbox, fn);
}

/** `withGmail` for any OAuth mailbox (Gmail, Outlook): the runtime is the mailbox's provider's. */
export async function withMailboxToken<T>(ctx: Ctx, mailbox: MailboxRow, fn: (rt: ConnectorRuntime, s: Secrets) => Promise<T>): Promise<T> {
  let secrets = await openMailboxSecrets(ctx.env, ctx.db, mailbox);
  if (!secrets.accessToken && !secrets.refreshToken) throw new MailboxNeedsReconnect("No credentials are stored for this mailbox");
  if (mailbox.tokenExpiresAt !== null && mailbox.tokenExpiresAt <= ctx.now + REFRESH_AHEAD_MS) secrets = await refresh(ctx, mailbox, secrets);
  const rt = buildRuntime(ctx.env, mailbox.provider === "facebook" || mailbox.provider === "instagram" ? "meta" : mailbox.provider);
  try {
    return await fn(rt, secrets);
  } catch (err) {
    if (!(err instanceof ProviderError) || err.kind !== "unauthorized") throw err;
    secrets = await refresh(ctx, mailbox, secrets);
    return fn(rt, secrets);
  }
}
