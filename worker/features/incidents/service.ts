import { and, asc, desc, eq, gt, inArray, isNull, lte } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import type { Database } from "../../db/client";
import { chunkRows, columnsOf, inChunks } from "../../db/chunk";
import { incidentNotices, incidents, memberships, users } from "../../db/schema";
import { notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { HOUR } from "../../lib/time";
import { notify } from "../../core/notifications";
import { operatorRecipients } from "../../core/operators";

/** GDPR Art. 33: the supervisory authority within 72 hours of becoming aware; users without undue delay. */
export const DEADLINE_MS = 72 * HOUR;
/** An incident still unnotified this close to its deadline raises an alert. */
export const ALERT_BEFORE_MS = 12 * HOUR;

type Row = typeof incidents.$inferSelect;

export type IncidentInput = {
  title: string;
  detectedAt: number;
  nature: string;
  dataCategories: string[];
  subjectCategories: string[];
  likelyConsequences: string;
  measuresTaken: string;
  authorityNotifiedAt?: number | null;
  authorityReference?: string | null;
};

export function incidentView(r: Row, now = Date.now()) {
  return {
    id: r.id,
    title: r.title,
    detectedAt: r.detectedAt,
    deadlineAt: r.deadlineAt,
    msToDeadline: r.deadlineAt - now,
    nature: r.nature,
    dataCategories: r.dataCategories,
    subjectCategories: r.subjectCategories,
    likelyConsequences: r.likelyConsequences,
    measuresTaken: r.measuresTaken,
    authorityNotifiedAt: r.authorityNotifiedAt,
    authorityReference: r.authorityReference,
    usersNotifiedAt: r.usersNotifiedAt,
    alertedAt: r.alertedAt,
    status: r.status,
    late: !r.usersNotifiedAt && r.deadlineAt < now,
  };
}

export async function createIncident(db: Database, operatorId: string, input: IncidentInput, now = Date.now()) {
  const row: Row = {
    id: newId(),
    title: input.title,
    detectedAt: input.detectedAt,
    deadlineAt: input.detectedAt + DEADLINE_MS,
    nature: input.nature,
    dataCategories: input.dataCategories,
    subjectCategories: input.subjectCategories,
    likelyConsequences: input.likelyConsequences,
    measuresTaken: input.measuresTaken,
    authorityNotifiedAt: input.authorityNotifiedAt ?? null,
    authorityReference: input.authorityReference ?? null,
    usersNotifiedAt: null,
    alertedAt: null,
    status: "open",
    createdBy: operatorId,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(incidents).values(row);
  return row;
}

export async function getIncident(db: Database, id: string) {
  const [row] = await db.select().from(incidents).where(eq(incidents.id, id)).limit(1);
  if (!row) throw notFound("Incident");
  return row;
}

export const listIncidents = (db: Database) => db.select().from(incidents).orderBy(desc(incidents.detectedAt)).limit(200);

export async function updateIncident(db: Database, row: Row, patch: Partial<IncidentInput> & { status?: Row["status"] }, now = Date.now()) {
  const set = {
    ...(patch.title !== undefined ? { title: patch.title } : {}),
    ...(patch.nature !== undefined ? { nature: patch.nature } : {}),
    ...(patch.dataCategories ? { dataCategories: patch.dataCategories } : {}),
    ...(patch.subjectCategories ? { subjectCategories: patch.subjectCategories } : {}),
    ...(patch.likelyConsequences !== undefined ? { likelyConsequences: patch.likelyConsequences } : {}),
    ...(patch.measuresTaken !== undefined ? { measuresTaken: patch.measuresTaken } : {}),
    ...(patch.authorityNotifiedAt !== undefined ? { authorityNotifiedAt: patch.authorityNotifiedAt } : {}),
    ...(patch.authorityReference !== undefined ? { authorityReference: patch.authorityReference } : {}),
    ...(patch.status ? { status: patch.status } : {}),
    updatedAt: now,
  };
  await db.update(incidents).set(set).where(eq(incidents.id, row.id));
  return getIncident(db, row.id);
}

export type Audience = { all: true } | { userIds: string[] } | { orgIds: string[] };

/** The notice users receive (policy 10): nature, categories, likely consequences and measures taken. */
export function noticeText(r: Row) {
  return [
    `We are writing to tell you about a security incident that affected personal data held by QWEB.`,
    "",
    `What happened: ${r.nature}`,
    `Detected: ${new Date(r.detectedAt).toUTCString()}`,
    `Data concerned: ${r.dataCategories.join(", ")}`,
    `People concerned: ${r.subjectCategories.join(", ")}`,
    `Likely consequences: ${r.likelyConsequences}`,
    `What we have done: ${r.measuresTaken}`,
    r.authorityNotifiedAt ? `We notified the supervisory authority on ${new Date(r.authorityNotifiedAt).toUTCString()}.` : null,
    "",
    "Questions: privacy@qwebmaster.com",
  ].filter((l) => l !== null).join("\n");
}

const PAGE = 500;

/**
 * P24: notifies every affected user in the app and by email, once each, and records delivery.
 * Users already notified of this incident are skipped, so a repeated call only reaches new ones.
 */
export async function notifyAffected({ ctx, input: { incident: row, audience } }: { ctx: Ctx; input: { incident: Row; audience: Audience } }) {
  const { db, now } = ctx;
  let notified = 0;
  let cursor = "";
  for (;;) {
    // Audience lists are capped at 90 by the route's schema: with the cursor they fit one statement.
    const base = db.select({ userId: users.id, email: users.email }).from(users);
    const where = and(isNull(users.deletedAt), gt(users.id, cursor));
    const page =
      "orgIds" in audience
        ? await base.innerJoin(memberships, eq(memberships.userId, users.id)).where(and(where, inArray(memberships.orgId, audience.orgIds.slice(0, 90)))).groupBy(users.id).orderBy(asc(users.id)).limit(PAGE)
        : "userIds" in audience
          ? await base.where(and(where, inArray(users.id, audience.userIds.slice(0, 90)))).orderBy(asc(users.id)).limit(PAGE)
          : await base.where(where).orderBy(asc(users.id)).limit(PAGE);
    if (!page.length) break;
    cursor = page.at(-1)!.userId;
    const already = new Set<string>();
    for (const ids of inChunks(page.map((p) => p.userId), 1)) {
      const done = await db.select({ userId: incidentNotices.userId }).from(incidentNotices).where(and(eq(incidentNotices.incidentId, row.id), inArray(incidentNotices.userId, ids)));
      for (const d of done) if (d.userId) already.add(d.userId);
    }
    const fresh = page.filter((p) => !already.has(p.userId));
    if (fresh.length) {
      const deliveries = await notify({ ctx, input: { recipients: fresh, notice: { kind: "breach", title: `Security notice: ${row.title}`, body: noticeText(row), link: "/notifications" } } });
      const records = deliveries.map((d, i) => ({
        id: newId(), incidentId: row.id, userId: d.userId, email: fresh[i]!.email, notificationId: d.notificationId, emailMessageId: d.emailMessageId, notifiedAt: now,
      }));
      for (const rows of chunkRows(records, columnsOf(incidentNotices))) await db.insert(incidentNotices).values(rows).onConflictDoNothing();
      notified += fresh.length;
    }
    if (page.length < PAGE) break;
  }
  if (!row.usersNotifiedAt) await db.update(incidents).set({ usersNotifiedAt: now, status: "notified", updatedAt: now }).where(eq(incidents.id, row.id));
  return notified;
}

export async function noticeStats(db: Database, incidentId: string) {
  const rows = await db.select({ notifiedAt: incidentNotices.notifiedAt, emailMessageId: incidentNotices.emailMessageId }).from(incidentNotices).where(eq(incidentNotices.incidentId, incidentId));
  return { users: rows.length, emails: rows.filter((r) => r.emailMessageId).length, lastAt: rows.reduce((a, r) => Math.max(a, r.notifiedAt), 0) || null };
}

/** Frequent cron: an incident whose users are still unnotified 12 hours before its deadline alerts the operators (once). */
export async function incidentDeadlineAlerts({ ctx: { env, db, now } }: { ctx: Ctx; input?: undefined }) {
  const due = await db
    .select()
    .from(incidents)
    .where(and(isNull(incidents.usersNotifiedAt), isNull(incidents.alertedAt), lte(incidents.deadlineAt, now + ALERT_BEFORE_MS)))
    .limit(50);
  if (!due.length) return 0;
  const ops = await operatorRecipients(db);
  for (const r of due) {
    const hours = Math.round((r.deadlineAt - now) / HOUR);
    await notify({ ctx: { env, db, now }, input: { recipients: ops, notice: {
      kind: "incident-alert",
      title: hours > 0 ? `Incident "${r.title}": notify users within ${hours} h` : `Incident "${r.title}": the 72-hour deadline has passed`,
      body: `Affected users of the incident detected on ${new Date(r.detectedAt).toUTCString()} have not been notified. Deadline: ${new Date(r.deadlineAt).toUTCString()}.`,
      link: `/operator?incident=${r.id}`,
    } } });
    await db.update(incidents).set({ alertedAt: now }).where(eq(incidents.id, r.id));
  }
  return due.length;
}

