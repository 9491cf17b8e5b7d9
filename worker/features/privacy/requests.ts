import { eq } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import { getOrgAccess } from "../../core/tenancy";
import { dsrRequests, type DsrKind, type Regime } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { OPEN_STATUSES, eventView, eventsOf, getUserRequest, listUserRequests, recordRequest, requestView, updateRequest } from "./dsr";
import { ATTACHMENT_MAX_BYTES } from "./schemas";

type Me = { userId: string; email: string };
const byUser = { actor: "user" } as const;

export async function myRequests({ ctx, input }: { ctx: Ctx; input: { userId: string } }) {
  return { requests: (await listUserRequests({ ctx, input })).map((r) => requestView(r)) };
}

/** A request the user files in the privacy center (about themselves, or an organization they belong to). */
export async function fileRequest({ ctx, input: { me, request } }: { ctx: Ctx; input: { me: Me; request: { orgId?: string; regime: Regime; kind: DsrKind; details: string } } }) {
  if (request.orgId) await getOrgAccess(ctx.db, me.userId, request.orgId);
  const row = await recordRequest({ ctx, input: {
    userId: me.userId, orgId: request.orgId ?? null, email: me.email, regime: request.regime, kind: request.kind,
    source: "self-serve", status: "received", verification: "session", details: request.details, by: byUser,
  } });
  return { request: requestView(row) };
}

export async function myRequestDetail({ ctx, input }: { ctx: Ctx; input: { userId: string; id: string } }) {
  const row = await getUserRequest({ ctx, input });
  return { request: requestView(row), events: (await eventsOf({ ctx, input: { requestId: row.id } })).map(eventView) };
}

/** Replaces the request's attachment (R2), on record in its audit trail. Open requests only. */
export async function attachToRequest({ ctx, input: { userId, id, file } }: { ctx: Ctx; input: { userId: string; id: string; file: { name: string; contentType: string; dataBase64: string } } }) {
  const { db, env, now } = ctx;
  const row = await getUserRequest({ ctx, input: { userId, id } });
  if (!OPEN_STATUSES.includes(row.status)) throw new ApiError("CONFLICT", "This request is closed");
  const { name, contentType, dataBase64 } = file;
  let body: Uint8Array;
  try {
    body = Uint8Array.from(atob(dataBase64), (ch) => ch.charCodeAt(0));
  } catch {
    throw new ApiError("VALIDATION_FAILED", "The file is not valid base64", { details: [{ path: "dataBase64" }] });
  }
  if (!body.byteLength) throw new ApiError("VALIDATION_FAILED", "The file is empty", { details: [{ path: "dataBase64" }] });
  if (body.byteLength > ATTACHMENT_MAX_BYTES) throw new ApiError("PAYLOAD_TOO_LARGE", "Attachments are limited to 512 KB");
  const key = `privacy/${userId}/requests/${row.id}/${name}`;
  if (row.attachmentKey && row.attachmentKey !== key) await env.FILES.delete(row.attachmentKey);
  await env.FILES.put(key, body, { httpMetadata: { contentType } });
  await db.update(dsrRequests).set({ attachmentKey: key, attachmentName: name, updatedAt: now }).where(eq(dsrRequests.id, row.id));
  await updateRequest({ ctx, input: { row, change: { note: `Attached ${name} (${body.byteLength} bytes)` }, by: byUser } });
  return { request: requestView({ ...row, attachmentKey: key, attachmentName: name }) };
}

export async function cancelRequest({ ctx, input }: { ctx: Ctx; input: { userId: string; id: string } }) {
  const row = await getUserRequest({ ctx, input });
  if (!OPEN_STATUSES.includes(row.status)) throw new ApiError("CONFLICT", "This request is already closed");
  return { request: requestView(await updateRequest({ ctx, input: { row, change: { status: "cancelled", action: "Withdrawn by the requester" }, by: byUser } })) };
}
