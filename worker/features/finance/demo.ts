import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { expenses, financeSettings, projects, rates, timeEntries } from "../../db/schema";
import { newId } from "../../lib/ids";
import { chunk, DEFAULT_SETTINGS, rowsPerInsert } from "./context";

const DAY = 86_400_000;
const PLAN: Record<string, { projects: string[]; notes: string[]; expenses: [string, string, number][] }> = {
  "Bistro Uno": {
    projects: ["Social media", "Spring menu launch"],
    notes: ["Instagram posts for the week", "Menu launch landing page", "Community replies", "Photo shoot planning", "Monthly report"],
    expenses: [["Canva", "software", 1_299], ["Local photographer", "subcontractors", 45_000], ["Shutterstock", "stock media", 4_900]],
  },
  "Peak Outfitters": {
    projects: ["Paid ads", "Email flows"],
    notes: ["Meta ads optimisation", "Google Ads search terms", "Welcome flow copy", "Abandoned cart flow", "Creative testing"],
    expenses: [["Figma", "software", 1_500], ["Trade show travel", "travel", 23_480], ["Envato", "stock media", 3_300]],
  },
};

/**
 * The demo agency's books: rates at every level of the cascade, two projects per client and the
 * last 30 days of time (weekdays, owner and member) and expenses. Deterministic from `now`.
 */
export async function seedDemoFinance(db: Database, seed: { orgId: string; workspaceIds: string[]; userIds: { owner: string; member: string } }, names: string[], now: number) {
  const orgId = seed.orgId;
  const [existing] = await db.select({ orgId: financeSettings.orgId }).from(financeSettings).where(eq(financeSettings.orgId, orgId)).limit(1);
  if (existing) return;
  const settings = { orgId, ...DEFAULT_SETTINGS, agencyName: "Northwind Digital", agencyDetails: "12 Harbour Street\nBristol BS1 4QA\nbilling@northwind.example", updatedAt: now };
  const projectRows: (typeof projects.$inferInsert)[] = [];
  const entries: (typeof timeEntries.$inferInsert)[] = [];
  const spend: (typeof expenses.$inferInsert)[] = [];
  const today = Math.floor(now / DAY) * DAY;
  names.forEach((name, w) => {
    const plan = PLAN[name];
    const workspaceId = seed.workspaceIds[w];
    if (!plan || !workspaceId) return;
    const ids = plan.projects.map((p) => {
      const id = newId();
      projectRows.push({ id, orgId, workspaceId, name: p, archivedAt: null, createdAt: now });
      return id;
    });
    for (let d = 30; d >= 1; d--) {
      const day = today - d * DAY;
      const weekday = new Date(day).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      [seed.userIds.owner, seed.userIds.member].forEach((userId, u) => {
        const k = d * 7 + w * 3 + u;
        const start = day + (8 + ((k + w) % 3)) * 3_600_000 + u * 4 * 3_600_000;
        const minutes = 45 + (k % 6) * 30;
        entries.push({
          id: newId(), orgId, workspaceId, projectId: ids[k % ids.length]!, taskId: null, userId, startedAt: start, endedAt: start + minutes * 60_000,
          timeZone: "Europe/London", billable: k % 9 !== 0, notes: plan.notes[k % plan.notes.length]!, rateMinor: null, invoiceId: null, invoiceLineId: null, createdAt: now, updatedAt: now,
        });
      });
    }
    plan.expenses.forEach(([vendor, category, amountMinor], i) => {
      spend.push({
        id: newId(), orgId, workspaceId, projectId: ids[i % ids.length]!, userId: seed.userIds.owner, date: new Date(today - (25 - i * 9) * DAY).toISOString().slice(0, 10),
        amountMinor, currency: "USD", category, vendor, notes: "", billable: true, markupBp: category === "subcontractors" ? 1500 : 0,
        receiptKey: null, receiptType: null, receiptBytes: null, invoiceId: null, invoiceLineId: null, createdAt: now,
      });
    });
  });
  const rateRows = [
    { id: newId(), orgId, scope: "org" as const, targetId: orgId, hourlyMinor: 9_500, costMinor: null, updatedAt: now },
    ...(seed.workspaceIds[1] ? [{ id: newId(), orgId, scope: "workspace" as const, targetId: seed.workspaceIds[1], hourlyMinor: 11_000, costMinor: null, updatedAt: now }] : []),
    { id: newId(), orgId, scope: "person" as const, targetId: seed.userIds.owner, hourlyMinor: 12_500, costMinor: 6_000, updatedAt: now },
    { id: newId(), orgId, scope: "project" as const, targetId: projectRows[1]?.id ?? orgId, hourlyMinor: 10_500, costMinor: null, updatedAt: now },
    { id: newId(), orgId, scope: "person" as const, targetId: seed.userIds.member, hourlyMinor: 8_500, costMinor: 3_500, updatedAt: now },
  ];
  const stmts = [
    db.insert(financeSettings).values(settings),
    ...chunk(projectRows, rowsPerInsert(6)).map((c) => db.insert(projects).values(c)),
    ...chunk(entries, rowsPerInsert(16)).map((c) => db.insert(timeEntries).values(c)),
    ...chunk(spend, rowsPerInsert(19)).map((c) => db.insert(expenses).values(c)),
    db.insert(rates).values(rateRows),
  ];
  await db.batch(stmts as [(typeof stmts)[number], ...(typeof stmts)[number][]]);
}
