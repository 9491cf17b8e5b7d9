import { describe, expect, it } from "vitest";
import { call, expectStatus } from "../support/harness";
import { HOUR, MONDAY, logTime, newAgency, ok } from "./support";

const budgetNotices = async (token: string) =>
  ((await ok("GET", "/api/notifications", token)).notifications as { title: string; body: string }[]).filter((n) => /budget/.test(n.title));

describe("finance: time budgets", () => {
  it("warns the owners at 80 % and at 100 % of a client's monthly hours, once per threshold", async () => {
    const a = await newAgency("Budget");
    const b = await ok("PUT", a.fin("/budgets"), a.token, { workspaceId: a.workspaceId, unit: "hours", monthlyLimit: 10 * 60 }, 200);
    expect(b).toMatchObject({ unit: "hours", monthlyLimit: 600, notifiedPct: 0 });
    await logTime(a, MONDAY, 7);
    expect(await budgetNotices(a.token)).toHaveLength(0);
    await logTime(a, MONDAY + 24 * HOUR, 1);
    let notices = await budgetNotices(a.token);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.title).toBe("Budget Client reached 80 % of its 2026-03 budget");
    expect(notices[0]!.body).toContain("8 h of 10 h");
    await logTime(a, MONDAY + 48 * HOUR, 0.5);
    expect(await budgetNotices(a.token)).toHaveLength(1);
    await logTime(a, MONDAY + 72 * HOUR, 2);
    notices = await budgetNotices(a.token);
    expect(notices).toHaveLength(2);
    expect(notices.map((n) => n.title)).toContain("Budget Client used its whole 2026-03 budget");
    await logTime(a, MONDAY + 96 * HOUR, 1);
    expect(await budgetNotices(a.token)).toHaveLength(2);
  });

  it("a money budget on a project counts hours at the cascaded billing rate", async () => {
    const a = await newAgency("Money");
    const project = await ok("POST", a.fin("/projects"), a.token, { workspaceId: a.workspaceId, name: "Launch" });
    await ok("PUT", a.fin("/rates"), a.token, { scope: "project", targetId: project.id, hourlyMinor: 10_000 }, 200);
    await ok("PUT", a.fin("/budgets"), a.token, { workspaceId: a.workspaceId, projectId: project.id, unit: "amount", monthlyLimit: 50_000 }, 200);
    await logTime(a, MONDAY, 3, { projectId: project.id });
    await logTime(a, MONDAY, 4); // not on the project
    expect(await budgetNotices(a.token)).toHaveLength(0);
    await logTime(a, MONDAY + 24 * HOUR, 2, { projectId: project.id });
    const notices = await budgetNotices(a.token);
    expect(notices.map((n) => n.title)).toEqual(["Money Client · Launch used its whole 2026-03 budget"]);
    expect(notices[0]!.body).toContain("500.00 USD of 500.00 USD");
    const { budgets } = await ok("GET", a.fin("/budgets"), a.token);
    expect(budgets).toHaveLength(1);
  });

  it("tenant isolation: another organization can neither set a budget on this client nor remove this budget", async () => {
    const a = await newAgency("Mine");
    const other = await newAgency("Other");
    const b = await ok("PUT", a.fin("/budgets"), a.token, { workspaceId: a.workspaceId, unit: "hours", monthlyLimit: 60 }, 200);
    expectStatus(await call("PUT", other.fin("/budgets"), { token: other.token, body: { workspaceId: a.workspaceId, unit: "hours", monthlyLimit: 60 } }), 404);
    expectStatus(await call("DELETE", other.fin(`/budgets/${b.id}`), { token: other.token }), 404);
    expectStatus(await call("GET", a.fin("/budgets"), { token: other.token }), 404);
    expect((await ok("GET", other.fin("/budgets"), other.token)).budgets).toEqual([]);
    expectStatus(await call("DELETE", a.fin(`/budgets/${b.id}`), { token: a.token }), 204);
  });
});
