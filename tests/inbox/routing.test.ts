import { describe, expect, it } from "vitest";
import { call, connectGmail, conversations, deliver, expectStatus, ownerWithWorkspace, syncMailbox, thread, uniqueAddress } from "./support";
import { inviteAndAccept, newTenant, newWorkspace } from "../support/harness";
import { contractChecker } from "../api/contract-support";

async function syncNew(t: { token: string }, id: string) {
  await call("POST", `/api/inbox/mailboxes/${id}/sync`, { token: t.token });
  await syncMailbox(id);
}

describe("routing: happy path", () => {
  it("a rule on the sender's domain assigns a person, and the conversation records why it fired", async () => {
    const { t, ws } = await ownerWithWorkspace("Route Co");
    const pat = await inviteAndAccept(t, { orgId: t.orgId }, "member", "Pat Person");
    const rule = await call("POST", `/api/orgs/${t.orgId}/inbox/rules`, { token: t.token, body: { name: "Big client to Pat", conditions: [{ field: "from", op: "domain", value: "bigclient.example" }, { field: "subject", op: "contains", value: "banner" }], action: { type: "person", userId: pat.userId } } });
    expectStatus(rule, 201);
    const address = uniqueAddress("route");
    const id = await connectGmail(t, ws.id, address);
    await syncMailbox(id);
    await deliver(address, { from: "Carla <carla@bigclient.example>", subject: "New banner please", text: "Could you change the banner?" });
    await deliver(address, { from: "Carla <carla@bigclient.example>", subject: "Lunch?", text: "Lunch on Friday?" });
    await syncNew(t, id);
    const list = (await conversations(t)).conversations;
    const hit = list.find((c) => c.subject === "New banner please")!;
    const miss = list.find((c) => c.subject === "Lunch?")!;
    expect(hit.assigneeId).toBe(pat.userId);
    expect(miss.assigneeId).toBeNull();
    const runs = (await thread(t, hit.id)).ruleRuns;
    expect(runs).toEqual([expect.objectContaining({ ruleId: rule.json.id, outcome: "routed", reason: expect.stringContaining('rule "Big client to Pat" fired: from is at "bigclient.example" and subject contains "banner"; assigned to') })]);
    expect((await thread(t, miss.id)).ruleRuns).toEqual([]);
    // "Mine" for Pat.
    const mine = await call("GET", `/api/orgs/${t.orgId}/inbox/conversations?assignee=mine`, { token: pat.token });
    expectStatus(mine, 200);
    expect(mine.json.conversations.map((c: { id: string }) => c.id)).toEqual([hit.id]);
  });

  it("round robin on the AI category within a team honours the cap of open conversations per person, and says so when everyone is full", async () => {
    const { t, ws } = await ownerWithWorkspace("Robin Co");
    const a = await inviteAndAccept(t, { orgId: t.orgId }, "member", "Ann A");
    const b = await inviteAndAccept(t, { orgId: t.orgId }, "member", "Ben B");
    const team = await call("POST", `/api/orgs/${t.orgId}/inbox/teams`, { token: t.token, body: { name: "Sales", maxOpenPerPerson: 1, memberIds: [a.userId, b.userId] } });
    expectStatus(team, 201);
    expect(team.json.members.map((m: { userId: string }) => m.userId).sort()).toEqual([a.userId, b.userId].sort());
    expectStatus(await call("POST", `/api/orgs/${t.orgId}/inbox/rules`, { token: t.token, body: { name: "Leads to sales", conditions: [{ field: "category", op: "equals", value: "lead" }], action: { type: "team", teamId: team.json.id } } }), 201);
    const address = uniqueAddress("robin");
    const id = await connectGmail(t, ws.id, address);
    // Demo mail first (it has leads too): then count only ours.
    await syncMailbox(id);
    const before = (await conversations(t)).conversations;
    const assignedBefore = before.filter((c) => c.assigneeId).length;
    // Every demo lead was routed until both members were at their cap of one.
    expect(assignedBefore).toBe(Math.min(2, before.filter((c) => c.category === "lead").length));
    // Resolving frees a slot: the next lead goes to that person.
    const freed = before.find((c) => c.assigneeId)!;
    expectStatus(await call("PATCH", `/api/inbox/conversations/${freed.id}`, { token: t.token, body: { status: "resolved" } }), 200);
    await deliver(address, { from: "Lia <lia@prospect.example>", subject: "Quote for an SEO audit", text: "Could you send a quote for an SEO audit?" });
    await deliver(address, { from: "Max <max@prospect.example>", subject: "Pricing for ads", text: "What is your pricing for Google Ads management?" });
    await syncNew(t, id);
    const list = (await conversations(t)).conversations;
    const first = list.find((c) => c.subject === "Quote for an SEO audit")!;
    const second = list.find((c) => c.subject === "Pricing for ads")!;
    expect([first, second].map((c) => c.category)).toEqual(["lead", "lead"]);
    const got = [first, second].filter((c) => c.assigneeId);
    expect(got).toHaveLength(1);
    expect(got[0]!.assigneeId).toBe(freed.assigneeId);
    const left = [first, second].find((c) => !c.assigneeId)!;
    expect((await thread(t, left.id)).ruleRuns[0]!.reason).toContain("has 1 open conversations (the cap); left unassigned");
    expect((await thread(t, got[0]!.id)).ruleRuns[0]!.reason).toMatch(/round robin in team Sales: .* had 0 of 1 open/);
  });

  it("a rule assigns to another workspace of the organization", async () => {
    const { t, ws } = await ownerWithWorkspace("Agency Co");
    const client = await newWorkspace(t, "Client Bakery");
    expectStatus(await call("POST", `/api/orgs/${t.orgId}/inbox/rules`, { token: t.token, body: { name: "Bakery mail", conditions: [{ field: "body", op: "contains", value: "sourdough" }], action: { type: "workspace", workspaceId: client.id } } }), 201);
    const address = uniqueAddress("wsroute");
    const id = await connectGmail(t, ws.id, address);
    await syncMailbox(id);
    await deliver(address, { from: "Baker <baker@bakery.example>", subject: "Menu", text: "Please add the sourdough to the menu page." });
    await syncNew(t, id);
    const inClient = (await conversations(t, { workspaceId: client.id })).conversations;
    expect(inClient.map((c) => c.subject)).toEqual(["Menu"]);
    expect((await thread(t, inClient[0]!.id)).ruleRuns[0]!.reason).toContain("moved to workspace Client Bakery");
  });

  it("rules and teams can be listed, changed and deleted", async () => {
    const { t } = await ownerWithWorkspace("Crud Co");
    const r = await call("POST", `/api/orgs/${t.orgId}/inbox/rules`, { token: t.token, body: { name: "R", conditions: [{ field: "to", op: "contains", value: "sales@" }], setCategory: "lead" } });
    expectStatus(r, 201);
    const put = await call("PUT", `/api/orgs/${t.orgId}/inbox/rules/${r.json.id}`, { token: t.token, body: { name: "R2", enabled: false, conditions: [{ field: "to", op: "contains", value: "sales@" }], setCategory: "support" } });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ name: "R2", enabled: false, setCategory: "support" });
    expect((await call("GET", `/api/orgs/${t.orgId}/inbox/rules`, { token: t.token })).json.rules).toHaveLength(1);
    expectStatus(await call("DELETE", `/api/orgs/${t.orgId}/inbox/rules/${r.json.id}`, { token: t.token }), 204);
    expect((await call("GET", `/api/orgs/${t.orgId}/inbox/rules`, { token: t.token })).json.rules).toEqual([]);
    const team = await call("POST", `/api/orgs/${t.orgId}/inbox/teams`, { token: t.token, body: { name: "Support" } });
    expectStatus(team, 201);
    const tput = await call("PUT", `/api/orgs/${t.orgId}/inbox/teams/${team.json.id}`, { token: t.token, body: { name: "Support 2", maxOpenPerPerson: 5, memberIds: [t.userId] } });
    expect(tput.json).toMatchObject({ name: "Support 2", maxOpenPerPerson: 5, members: [expect.objectContaining({ userId: t.userId })] });
    expectStatus(await call("DELETE", `/api/orgs/${t.orgId}/inbox/teams/${team.json.id}`, { token: t.token }), 204);
  });
});

describe("routing: errors and security", () => {
  it("bad rules and teams answer 400 in the common error shape", async () => {
    const { t } = await ownerWithWorkspace("Bad Co");
    const other = await newTenant();
    const otherWs = await newWorkspace(other, "Not yours");
    const bodies = [
      {},
      { name: "x", conditions: [] },
      { name: "x", conditions: [{ field: "nope", op: "contains", value: "a" }], setCategory: "lead" },
      { name: "x", conditions: [{ field: "from", op: "contains", value: "a" }] },
      { name: "x", conditions: [{ field: "category", op: "equals", value: "lead" }], setCategory: "spam" },
      { name: "x", conditions: [{ field: "from", op: "contains", value: "a" }], action: { type: "workspace", workspaceId: otherWs.id } },
      { name: "x", conditions: [{ field: "from", op: "contains", value: "a" }], action: { type: "person", userId: other.userId } },
      { name: "x", conditions: [{ field: "from", op: "contains", value: "a" }], action: { type: "team", teamId: "missing" } },
    ];
    for (const body of bodies) {
      const res = await call("POST", `/api/orgs/${t.orgId}/inbox/rules`, { token: t.token, body });
      expectStatus(res, 400);
      expect(res.json.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
    expectStatus(await call("POST", `/api/orgs/${t.orgId}/inbox/teams`, { token: t.token, body: { name: "T", memberIds: [other.userId] } }), 400);
    expectStatus(await call("POST", `/api/orgs/${t.orgId}/inbox/teams`, { token: t.token, body: { name: "T", maxOpenPerPerson: 0 } }), 400);
  });

  it("another organization's rules and teams answer 404; a member may read but not change them", async () => {
    const { t } = await ownerWithWorkspace("Iso Co");
    const r = await call("POST", `/api/orgs/${t.orgId}/inbox/rules`, { token: t.token, body: { name: "Mine", conditions: [{ field: "from", op: "contains", value: "a" }], setCategory: "lead" } });
    const team = await call("POST", `/api/orgs/${t.orgId}/inbox/teams`, { token: t.token, body: { name: "Mine" } });
    const other = await newTenant();
    expectStatus(await call("GET", `/api/orgs/${t.orgId}/inbox/rules`, { token: other.token }), 404);
    expectStatus(await call("GET", `/api/orgs/${t.orgId}/inbox/teams`, { token: other.token }), 404);
    expectStatus(await call("PUT", `/api/orgs/${other.orgId}/inbox/rules/${r.json.id}`, { token: other.token, body: { name: "Stolen", conditions: [{ field: "from", op: "contains", value: "a" }], setCategory: "spam" } }), 404);
    expectStatus(await call("DELETE", `/api/orgs/${other.orgId}/inbox/rules/${r.json.id}`, { token: other.token }), 404);
    expectStatus(await call("DELETE", `/api/orgs/${other.orgId}/inbox/teams/${team.json.id}`, { token: other.token }), 404);
    const member = await inviteAndAccept(t, { orgId: t.orgId }, "member");
    expectStatus(await call("GET", `/api/orgs/${t.orgId}/inbox/rules`, { token: member.token }), 200);
    expectStatus(await call("DELETE", `/api/orgs/${t.orgId}/inbox/rules/${r.json.id}`, { token: member.token }), 403);
    expect((await call("GET", `/api/orgs/${t.orgId}/inbox/rules`, { token: t.token })).json.rules.map((x: { name: string }) => x.name)).toEqual(["Mine"]);
  });
});

describe("contract: routing, teams, SLA, classification and AI draft responses match their schemas", () => {
  it("every new route answers its documented shape", async () => {
    const api = await contractChecker();
    const { t, ws } = await ownerWithWorkspace("Contract Route Co");
    const auth = { token: t.token };
    const id = await connectGmail(t, ws.id, uniqueAddress("rcontract"));
    await syncMailbox(id);
    const team = await api.call("POST", `/api/orgs/${t.orgId}/inbox/teams`, { ...auth, body: { name: "Sales", memberIds: [t.userId] } });
    expectStatus(team, 201);
    expectStatus(await api.call("PUT", `/api/orgs/${t.orgId}/inbox/teams/${team.json.id}`, { ...auth, body: { name: "Sales 2", memberIds: [t.userId] } }), 200);
    expectStatus(await api.call("GET", `/api/orgs/${t.orgId}/inbox/teams`, auth), 200);
    const rule = await api.call("POST", `/api/orgs/${t.orgId}/inbox/rules`, { ...auth, body: { name: "Leads", conditions: [{ field: "category", op: "equals", value: "lead" }], action: { type: "team", teamId: team.json.id } } });
    expectStatus(rule, 201);
    expectStatus(await api.call("PUT", `/api/orgs/${t.orgId}/inbox/rules/${rule.json.id}`, { ...auth, body: { name: "Leads 2", conditions: [{ field: "category", op: "equals", value: "lead" }], action: { type: "person", userId: t.userId } } }), 200);
    expectStatus(await api.call("GET", `/api/orgs/${t.orgId}/inbox/rules`, auth), 200);
    expectStatus(await api.call("GET", `/api/workspaces/${ws.id}/inbox/sla`, auth), 200);
    expectStatus(await api.call("PUT", `/api/workspaces/${ws.id}/inbox/sla`, { ...auth, body: { firstResponseMinutes: 60, resolutionMinutes: 600, timeZone: "Europe/Berlin", hours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" } } }), 200);
    const list = await api.call("GET", `/api/orgs/${t.orgId}/inbox/conversations?category=lead&limit=5`, auth);
    expectStatus(list, 200);
    const lead = list.json.conversations[0];
    expectStatus(await api.call("GET", `/api/orgs/${t.orgId}/inbox/conversations?sla=at_risk`, auth), 200);
    expectStatus(await api.call("POST", `/api/inbox/conversations/${lead.id}/classify`, auth), 200);
    expectStatus(await api.call("POST", `/api/inbox/conversations/${lead.id}/ai-draft`, { ...auth, body: {} }), 201);
    expectStatus(await api.call("GET", `/api/inbox/conversations/${lead.id}`, auth), 200);
    expectStatus(await api.call("DELETE", `/api/workspaces/${ws.id}/inbox/sla`, auth), 204);
    expectStatus(await api.call("DELETE", `/api/orgs/${t.orgId}/inbox/rules/${rule.json.id}`, auth), 204);
    expectStatus(await api.call("DELETE", `/api/orgs/${t.orgId}/inbox/teams/${team.json.id}`, auth), 204);
  });
});
