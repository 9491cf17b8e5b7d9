import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { integrations, webhookEvents } from "../../db/schema";
import type { Connector, WebhookEvent } from "../../connectors/types";
import { openCredentials, WEBHOOK_SECRET, queueSync, rowCount, runWrites, writeStatements, notifyIntegrationFailure, type IntegrationRow } from "../integrations";
import { ApiError } from "../../lib/errors";
import { ctxFromEnv } from "../../core/context";
import { webhookListenersOf } from "../../core/webhook-listeners";

/** Row-less notices start a sync at most this often. */
const NUDGE_AFTER_MS = 5 * 60_000;

const invalidSignature = () => new ApiError("UNAUTHORIZED", "Invalid webhook signature");

type Target = { secret: string } | { integrationId: string };

/**
 * Verifies, then applies a delivery to every integration it concerns. Each integration records
 * the event id in the same D1 batch as the data; a delivery already recorded changes nothing.
 */
export async function receiveWebhook(env: Env, db: Database, connector: Connector, req: Request, target: Target) {
  const rawBody = new Uint8Array(await req.arrayBuffer());
  const url = new URL(req.url);
  const spec = connector.webhook!;
  let targets: IntegrationRow[];
  if ("integrationId" in target) {
    const [row] = await db
      .select()
      .from(integrations)
      .where(and(eq(integrations.id, target.integrationId), eq(integrations.provider, connector.id), isNull(integrations.disconnectedAt)))
      .limit(1);
    const secret = row ? (await openCredentials(env, db, row))[WEBHOOK_SECRET] : undefined;
    if (!row || !secret || !(await spec.verify({ rawBody, headers: req.headers, url, secret }))) throw invalidSignature();
    targets = [row];
  } else {
    if (!(await spec.verify({ rawBody, headers: req.headers, url, secret: target.secret }))) throw invalidSignature();
    targets = [];
  }
  // Features reading the delivery beside the sync engine (the inbox's comments); signature checked above.
  for (const listen of webhookListenersOf(connector.id)) await listen(ctxFromEnv(env), rawBody);
  const event = await spec.parse({ rawBody, headers: req.headers, url });
  if (!event) return { received: true, applied: 0 };
  if (!("integrationId" in target)) {
    targets = await db
      .select()
      .from(integrations)
      .where(
        and(
          eq(integrations.provider, connector.id),
          isNull(integrations.disconnectedAt),
          event.assetId
            ? or(eq(integrations.accountKey, event.accountKey), sql`instr(',' || coalesce(json_extract(${integrations.account}, '$.assets'), '') || ',', ${`,${event.assetId},`}) > 0`)
            : eq(integrations.accountKey, event.accountKey),
        ),
      );
  }
  let applied = 0;
  for (const row of targets) if (await applyEvent(env, db, connector, row, event)) applied++;
  return { received: true, applied, duplicate: targets.length > 0 && applied === 0 };
}

async function applyEvent(env: Env, db: Database, connector: Connector, row: IntegrationRow, event: WebhookEvent): Promise<boolean> {
  const [seen] = await db
    .select({ eventId: webhookEvents.eventId })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.integrationId, row.id), eq(webhookEvents.eventId, event.eventId)))
    .limit(1);
  if (seen) return false;
  const now = Date.now();
  // Raw like the rows it travels with: one batch of the sync write path (see persist.ts).
  const record = env.DB.prepare(
    "INSERT INTO webhook_events (integration_id, event_id, org_id, workspace_id, provider, topic, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
  ).bind(row.id, event.eventId, row.orgId, row.workspaceId, connector.id, event.topic, now);
  const owner = { integrationId: row.id, orgId: row.orgId, workspaceId: row.workspaceId, source: row.provider };
  await runWrites(env.DB, writeStatements(env.DB, owner, event.batch), [record]);
  if (event.revoked) {
    if (row.status !== "needs_reconnect") {
      const reason = `${connector.name} reports that QWEB's access was revoked or the app was uninstalled.`;
      await db.update(integrations).set({ status: "needs_reconnect", lastError: reason, updatedAt: now }).where(eq(integrations.id, row.id));
      await notifyIntegrationFailure(env, db, row, connector.name, reason);
    }
  } else if (rowCount(event.batch) === 0 && !event.batch.deleted?.length && (row.lastSyncAt ?? 0) < now - NUDGE_AFTER_MS) {
    // A notice without rows ("something changed in list X"): fetch the change with a sync soon.
    await queueSync(env, row, "scheduled");
  }
  return true;
}
