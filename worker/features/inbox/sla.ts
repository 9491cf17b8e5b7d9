// SLAs per workspace: first-response and resolution targets counted in business minutes (the
// workspace's days and hours in its time zone). The 15-minute cron computes each open
// conversation's due time and notifies once when it is at risk and once when it is breached.
import { and, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { conversations, inboxSlas, mailboxes, memberships, users, workspaces, type BusinessHours } from "../../db/schema";
import type { Ctx, TenantCtx } from "../../core/context";
import { ctxFromEnv } from "../../core/context";
import { notify } from "../../core/notifications";
import type { SlaBody } from "./routing-schemas";

type Sla = typeof inboxSlas.$inferSelect;
type Conversation = typeof conversations.$inferSelect;
const MINUTE = 60_000;
const DAY = 86_400_000;

/** The zone's offset from UTC (ms) at instant `at`. */
function offsetAt(at: number, timeZone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return local - Math.floor(at / 1000) * 1000;
}

/** UTC instant of a wall-clock time in the zone (DST-correct to the hour). */
function zoned(y: number, m: number, d: number, minutes: number, timeZone: string): number {
  const guess = Date.UTC(y, m, d) + minutes * MINUTE;
  const first = guess - offsetAt(guess, timeZone);
  return guess - offsetAt(first, timeZone);
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
};

/** The business windows [open, close) in UTC, for each local day from `from` on. */
function* windows(from: number, timeZone: string, hours: BusinessHours) {
  const local = new Date(from + offsetAt(from, timeZone));
  let y = local.getUTCFullYear(), m = local.getUTCMonth(), d = local.getUTCDate();
  for (let i = 0; i < 400; i++) {
    const day = new Date(Date.UTC(y, m, d));
    if (hours.days.includes(day.getUTCDay())) {
      const open = zoned(y, m, d, minutesOf(hours.start), timeZone);
      const close = zoned(y, m, d, minutesOf(hours.end), timeZone);
      if (close > from) yield [Math.max(open, from), close] as const;
    }
    const next = new Date(day.getTime() + DAY);
    y = next.getUTCFullYear(); m = next.getUTCMonth(); d = next.getUTCDate();
  }
}

/** `start` plus `minutes` of business time. */
export function addBusinessMinutes(start: number, minutes: number, timeZone: string, hours: BusinessHours): number {
  let left = minutes * MINUTE;
  for (const [open, close] of windows(start, timeZone, hours)) {
    if (close - open >= left) return open + left;
    left -= close - open;
  }
  return start + minutes * MINUTE;
}

export type SlaCheck = { kind: "first_response" | "resolution"; dueAt: number; riskAt: number } | null;

/** Which target applies now: first response while unanswered, then resolution until resolved. */
export function slaTarget(sla: Sla, c: Pick<Conversation, "createdAt" | "waitingSince" | "firstResponseAt" | "resolvedAt" | "status" | "lastMessageAt">): SlaCheck {
  if (c.status === "resolved") return null;
  const start = c.waitingSince ?? c.createdAt;
  const risk = (minutes: number, from: number) => addBusinessMinutes(from, Math.floor((minutes * sla.atRiskPercent) / 100), sla.timeZone, sla.hours);
  if (!c.firstResponseAt) {
    if (!c.waitingSince) return null;
    return { kind: "first_response", dueAt: addBusinessMinutes(c.waitingSince, sla.firstResponseMinutes, sla.timeZone, sla.hours), riskAt: risk(sla.firstResponseMinutes, c.waitingSince) };
  }
  const opened = Math.min(c.createdAt, start);
  return { kind: "resolution", dueAt: addBusinessMinutes(opened, sla.resolutionMinutes, sla.timeZone, sla.hours), riskAt: risk(sla.resolutionMinutes, opened) };
}

export const slaView = (s: Sla | null, workspaceId: string) =>
  s ? { workspaceId, configured: true, firstResponseMinutes: s.firstResponseMinutes, resolutionMinutes: s.resolutionMinutes, atRiskPercent: s.atRiskPercent, timeZone: s.timeZone, hours: s.hours }
    : { workspaceId, configured: false, firstResponseMinutes: 240, resolutionMinutes: 2880, atRiskPercent: 75, timeZone: "UTC", hours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" } };

export async function getSla({ ctx }: { ctx: TenantCtx }) {
  const [s] = await ctx.db.select().from(inboxSlas).where(and(eq(inboxSlas.workspaceId, ctx.tenant.workspaceId), eq(inboxSlas.orgId, ctx.tenant.orgId))).limit(1);
  return slaView(s ?? null, ctx.tenant.workspaceId);
}

export async function putSla({ ctx, input }: { ctx: TenantCtx; input: SlaBody }) {
  const row = { workspaceId: ctx.tenant.workspaceId, orgId: ctx.tenant.orgId, ...input, hours: { ...input.hours, days: [...new Set(input.hours.days)].sort() }, updatedAt: ctx.now };
  await ctx.db.insert(inboxSlas).values(row).onConflictDoUpdate({ target: inboxSlas.workspaceId, set: { ...row } });
  // Due times follow the new targets at the next check; notices already sent stay sent.
  await ctx.db.update(conversations).set({ slaDueAt: null }).where(and(eq(conversations.workspaceId, ctx.tenant.workspaceId), eq(conversations.orgId, ctx.tenant.orgId)));
  return slaView(row as Sla, ctx.tenant.workspaceId);
}

export async function deleteSla({ ctx }: { ctx: TenantCtx }) {
  await ctx.db.delete(inboxSlas).where(and(eq(inboxSlas.workspaceId, ctx.tenant.workspaceId), eq(inboxSlas.orgId, ctx.tenant.orgId)));
  await ctx.db.update(conversations).set({ slaDueAt: null, slaState: null }).where(and(eq(conversations.workspaceId, ctx.tenant.workspaceId), eq(conversations.orgId, ctx.tenant.orgId)));
}

async function recipientsOf(ctx: Ctx, c: Conversation) {
  if (c.assigneeId) return ctx.db.select({ userId: users.id, email: users.email }).from(users).where(and(eq(users.id, c.assigneeId), isNull(users.deletedAt)));
  return ctx.db.select({ userId: users.id, email: users.email }).from(memberships).innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, c.orgId), inArray(memberships.role, ["owner", "admin"]), isNull(users.deletedAt)));
}

const fmt = (ms: number, tz: string) => new Date(ms).toLocaleString("en-GB", { timeZone: tz, dateStyle: "medium", timeStyle: "short" });

/** One pass over open conversations of workspaces with an SLA: states, due times, notices. */
export async function checkSlas({ ctx }: { ctx: Ctx }) {
  const slas = await ctx.db.select().from(inboxSlas).limit(1000);
  let notices = 0;
  for (const sla of slas) {
    await ctx.db.update(conversations).set({ slaState: null, slaDueAt: null }).where(and(eq(conversations.orgId, sla.orgId), eq(conversations.workspaceId, sla.workspaceId), eq(conversations.status, "resolved"), isNotNull(conversations.slaState)));
    const [ws] = await ctx.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, sla.workspaceId)).limit(1);
    const open = await ctx.db.select({ c: conversations }).from(conversations).innerJoin(mailboxes, and(eq(mailboxes.id, conversations.mailboxId), isNull(mailboxes.disconnectedAt)))
      .where(and(eq(conversations.orgId, sla.orgId), eq(conversations.workspaceId, sla.workspaceId), inArray(conversations.status, ["open", "pending", "snoozed"])))
      .limit(5000);
    for (const { c } of open) {
      const target = slaTarget(sla, c);
      if (!target) {
        if (c.slaState !== null || c.slaDueAt !== null) await ctx.db.update(conversations).set({ slaState: null, slaDueAt: null }).where(eq(conversations.id, c.id));
        continue;
      }
      const state = ctx.now >= target.dueAt ? "breached" : ctx.now >= target.riskAt ? "at_risk" : "ok";
      const key = `${target.kind}:${state}:${target.dueAt}`;
      const sent = c.slaNotices.includes(key);
      if (state !== "ok" && !sent) {
        const what = target.kind === "first_response" ? "first response" : "resolution";
        await notify({ ctx, input: { recipients: await recipientsOf(ctx, c), notice: {
          kind: "alert",
          title: state === "breached" ? `SLA breached: ${c.subject}` : `SLA at risk: ${c.subject}`,
          body: state === "breached"
            ? `The ${what} target for "${c.subject}" (${ws?.name ?? "workspace"}) was due ${fmt(target.dueAt, sla.timeZone)} and has passed.`
            : `The ${what} for "${c.subject}" (${ws?.name ?? "workspace"}) is due ${fmt(target.dueAt, sla.timeZone)} (business hours, ${sla.timeZone}).`,
          link: `/inbox?conversation=${c.id}`,
        } } });
        notices++;
      }
      if (state !== c.slaState || target.dueAt !== c.slaDueAt || (state !== "ok" && !sent)) {
        await ctx.db.update(conversations).set({ slaState: state, slaDueAt: target.dueAt, slaNotices: state !== "ok" && !sent ? [...c.slaNotices, key].slice(-20) : c.slaNotices }).where(eq(conversations.id, c.id));
      }
    }
  }
  return { notices };
}

/** The cron job (every 15 minutes). */
export const slaCron = (env: Env, now: number) => checkSlas({ ctx: ctxFromEnv(env, { now }) });
