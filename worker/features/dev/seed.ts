import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { alertRules, memberships, organizations, policyAcceptances, portalAccess, users, workspaces } from "../../db/schema";
import { newId } from "../../lib/ids";
import { hashPassword } from "../../lib/password";
import { CURRENT_POLICY } from "../policy";
import { seedDemoIntegrations as connectDemo } from "../integrations";
import { seedDemoComments, seedDemoMailboxes } from "../inbox";
import { seedDemoAi } from "../ai";
import { seedDemoFinance } from "../finance";
import { seedDemoActions } from "../ads";

export const DEMO_DEFAULT_PASSWORD = "qweb-demo-password";
export const DEMO = {
  owner: "owner@demo.qweb.test",
  member: "member@demo.qweb.test",
  viewer: "viewer@demo.qweb.test",
  orgName: "Northwind Digital (demo agency)",
  workspaces: ["Bistro Uno", "Peak Outfitters"],
} as const;

export type DemoSeed = {
  password: string;
  orgId: string;
  workspaceIds: string[];
  userIds: Record<"owner" | "member" | "viewer", string>;
  logins: { email: string; role: string }[];
};

/** The local demo organization. Idempotent: a second run finds and returns what exists. */
export async function seedDemo(db: Database, password: string, now = Date.now()): Promise<DemoSeed> {
  const logins = [
    { email: DEMO.owner, role: "agency owner" },
    { email: DEMO.member, role: "agency member" },
    { email: DEMO.viewer, role: `portal viewer of ${DEMO.workspaces[0]}` },
  ];
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO.owner)).limit(1);
  if (existing) {
    const [m] = await db.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, existing.id)).limit(1);
    const ws = await db.select({ id: workspaces.id, name: workspaces.name }).from(workspaces).where(eq(workspaces.orgId, m!.orgId));
    const ids = await db.select({ id: users.id, email: users.email }).from(users);
    const byEmail = new Map(ids.map((u) => [u.email, u.id]));
    return {
      password,
      orgId: m!.orgId,
      workspaceIds: DEMO.workspaces.map((n) => ws.find((w) => w.name === n)?.id ?? "").filter(Boolean),
      userIds: { owner: existing.id, member: byEmail.get(DEMO.member)!, viewer: byEmail.get(DEMO.viewer)! },
      logins,
    };
  }
  const hash = await hashPassword(password);
  const orgId = newId();
  const userIds = { owner: newId(), member: newId(), viewer: newId() };
  const workspaceIds = DEMO.workspaces.map(() => newId());
  const person = (id: string, email: string, name: string, birthDate: string) => ({
    id, email, name, passwordHash: hash, birthDate, createdAt: now, updatedAt: now,
  });
  await db.batch([
    db.insert(users).values([
      person(userIds.owner, DEMO.owner, "Olivia Owner", "1986-05-14"),
      person(userIds.member, DEMO.member, "Marco Member", "1994-09-02"),
      person(userIds.viewer, DEMO.viewer, "Vera Viewer", "1979-01-23"),
    ]),
    db.insert(organizations).values({ id: orgId, name: DEMO.orgName, kind: "agency", createdAt: now, updatedAt: now }),
    db.insert(memberships).values([
      { id: newId(), orgId, userId: userIds.owner, role: "owner", createdAt: now },
      { id: newId(), orgId, userId: userIds.member, role: "member", createdAt: now },
    ]),
    db.insert(workspaces).values(
      DEMO.workspaces.map((name, i) => ({ id: workspaceIds[i]!, orgId, name, description: `Demo client: ${name}`, createdAt: now + i, updatedAt: now })),
    ),
    db.insert(portalAccess).values({ id: newId(), orgId, workspaceId: workspaceIds[0]!, userId: userIds.viewer, role: "viewer", createdAt: now }),
    // A pacing rule (fires once Meta or Google Ads spend arrives) and a revenue-drop rule on the shop figures.
    db.insert(alertRules).values(
      workspaceIds.flatMap((workspaceId) => [
        { id: newId(), orgId, workspaceId, kind: "budget_pacing" as const, name: "Monthly ad budget", params: { monthlyBudgetMinor: 1500_00, currency: "USD", thresholdPct: 10 }, recipients: [userIds.owner], createdBy: userIds.owner, createdAt: now, updatedAt: now },
        { id: newId(), orgId, workspaceId, kind: "revenue_drop" as const, name: "Shop revenue", params: { thresholdPct: 40 }, recipients: [userIds.owner], createdBy: userIds.owner, createdAt: now, updatedAt: now },
      ]),
    ),
    db.insert(policyAcceptances).values(
      Object.values(userIds).map((userId) => ({ id: newId(), userId, version: CURRENT_POLICY.version, acceptedAt: now, ip: null })),
    ),
  ]);
  await seedDemoFinance(db, { orgId, workspaceIds, userIds }, [...DEMO.workspaces], now);
  return { password, orgId, workspaceIds, userIds, logins };
}

/**
 * The demo client workspaces come connected to all five sandbox providers and a Gmail mailbox, with their first sync
 * done (local development with the sandbox running; a no-op elsewhere).
 */
export async function seedDemoIntegrations(env: Env, db: Database, seed: DemoSeed) {
  const names = await db.select({ id: workspaces.id, name: workspaces.name }).from(workspaces).where(eq(workspaces.orgId, seed.orgId));
  const demo = names.filter((w) => seed.workspaceIds.includes(w.id));
  await connectDemo(env, db, seed.userIds.owner, demo);
  await seedDemoMailboxes(env, db, seed.userIds.owner, demo);
  await seedDemoComments(env, db, seed.userIds.owner, demo);
  // The member proposes, so Approvals shows the owner what waits for them.
  await seedDemoActions(env, db, seed.userIds.member, demo.map((w) => ({ id: w.id, orgId: seed.orgId })));
  // After the syncs, so the demo's first AI items are written from real synced figures.
  await seedDemoAi(env, db, seed.userIds.owner, demo.map((w) => ({ ...w, orgId: seed.orgId })));
}
