import { and, eq, gt, inArray, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { ctxFromEnv } from "../../core/context";
import { alertRules, alerts, integrations, memberships, users, workspaces } from "../../db/schema";
import { newId } from "../../lib/ids";
import { notify } from "../../core/notifications";
import { evaluateRule, type Finding } from "./conditions";

type RuleRow = typeof alertRules.$inferSelect;

/**
 * Stores the finding as the rule's alert for its period; only the evaluation that inserted it
 * tells anyone, so evaluating every 15 minutes raises exactly one alert per rule and period.
 */
export async function raise(env: Env, db: Database, rule: RuleRow, f: Finding, now: number): Promise<string | null> {
  const [row] = await db
    .insert(alerts)
    .values({ id: newId(), orgId: rule.orgId, workspaceId: rule.workspaceId, ruleId: rule.id, periodKey: f.periodKey, kind: rule.kind, title: f.title, body: f.body, figures: f.figures, createdAt: now })
    .onConflictDoNothing({ target: [alerts.ruleId, alerts.periodKey] })
    .returning({ id: alerts.id });
  if (!row) return null;
  const to = rule.recipients.length
    ? await db
        .select({ userId: users.id, email: users.email })
        .from(users)
        .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, rule.orgId)))
        .where(and(inArray(users.id, rule.recipients.slice(0, 90)), isNull(users.deletedAt)))
    : [];
  if (to.length) await notify({ ctx: { env, db, now }, input: { recipients: to, notice: { kind: "alert", title: f.title, body: f.body, link: "/alerts" } } });
  return row.id;
}

/** The 15-minute cron job: every enabled rule, evaluated from the rollups at `now`. */
export async function evaluateAlerts(env: Env, now: number) {
  const { db } = ctxFromEnv(env, { now });
  const rules = await db
    .select({ rule: alertRules, timeZone: workspaces.timeZone })
    .from(alertRules)
    .innerJoin(workspaces, eq(workspaces.id, alertRules.workspaceId))
    .where(eq(alertRules.enabled, true));
  const snoozed = new Set(
    (await db.select({ ruleId: alerts.ruleId }).from(alerts).where(and(eq(alerts.status, "snoozed"), gt(alerts.snoozedUntil, now)))).map((r) => r.ruleId),
  );
  let raised = 0;
  for (const { rule, timeZone } of rules) {
    if (snoozed.has(rule.id)) continue;
    const health = rule.kind === "sync_failing" || rule.kind === "token_expiring"
      ? await db.select().from(integrations).where(and(eq(integrations.workspaceId, rule.workspaceId), isNull(integrations.disconnectedAt)))
      : [];
    const finding = await evaluateRule(db, rule, { now, timeZone, integrations: health });
    if (finding && (await raise(env, db, rule, finding, now))) raised++;
  }
  return { rules: rules.length, raised };
}
