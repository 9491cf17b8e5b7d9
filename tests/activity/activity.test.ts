import { describe, expect, it } from "vitest";
import { call, env, expectStatus, inviteAndAccept, newTenant, newWorkspace } from "../support/harness";
import { ownerWithWorkspace, connectKey, sandboxControl } from "../integrations/support";

const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 19_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/19.0 Mobile/15E148 Safari/604.1";
const DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";

type Item = { id: string; userId: string | null; userName: string | null; action: string; label: string; targetType: string | null; targetId: string | null; status: number; ip: string | null; userAgent: string | null; deviceClass: string | null; device: string; createdAt: number };

const orgActivity = async (token: string, orgId: string, query = "") => {
  const res = await call("GET", `/api/orgs/${orgId}/activity${query}`, { token });
  expectStatus(res, 200);
  return res.json as { items: Item[]; nextCursor: string | null };
};

const rowsFor = (where: string, ...binds: unknown[]) =>
  env.DB.prepare(`SELECT * FROM activity_log WHERE ${where} ORDER BY created_at`).bind(...binds).all<Record<string, unknown>>().then((r) => r.results);

describe("activity: happy path", () => {
  it("P06: a state-changing request records who, what, IP, user agent and device class", async () => {
    const t = await newTenant({ name: "Olivia" });
    const ws = await newWorkspace(t);
    const res = await call("PATCH", `/api/workspaces/${ws.id}`, {
      token: t.token,
      body: { name: "Renamed Secret Project" },
      ip: "203.0.113.77",
      headers: { "user-agent": IPHONE },
    });
    expectStatus(res, 200);

    const { items } = await orgActivity(t.token, t.orgId);
    const row = items.find((i) => i.action === "workspace.update")!;
    expect(row).toMatchObject({
      userId: t.userId,
      userName: "Olivia",
      targetType: "workspace",
      targetId: ws.id,
      status: 200,
      ip: "203.0.113.77",
      userAgent: IPHONE,
      deviceClass: "mobile",
      device: "Safari on iOS",
    });
    expect(Math.abs(row.createdAt - Date.now())).toBeLessThan(60_000);
    // Never bodies: the new name is nowhere in the log.
    expect(JSON.stringify(await rowsFor("1 = 1"))).not.toContain("Renamed Secret Project");
  });

  it("P06: signup and login are logged for the resulting user; a failed login with its IP and no user", async () => {
    const t = await newTenant();
    const signup = await rowsFor("user_id = ? AND action = 'auth.signup'", t.userId);
    expect(signup).toHaveLength(1);
    expect(signup[0]).toMatchObject({ org_id: t.orgId, status: 201 });

    const ok = await call("POST", "/api/auth/login", { body: { email: t.email, password: t.password }, ip: "198.51.100.20", headers: { "user-agent": DESKTOP } });
    expectStatus(ok, 200);
    const bad = await call("POST", "/api/auth/login", { body: { email: t.email, password: "definitely wrong" }, ip: "198.51.100.21" });
    expectStatus(bad, 401);

    const logins = await rowsFor("action = 'auth.login' AND ip IN ('198.51.100.20', '198.51.100.21')");
    expect(logins).toEqual([
      expect.objectContaining({ user_id: t.userId, status: 200, ip: "198.51.100.20", device_class: "desktop", target_type: null }),
      expect.objectContaining({ user_id: null, status: 401, ip: "198.51.100.21", device_class: "unknown" }),
    ]);
  });

  it("lists the caller's own activity at /api/me/activity, and nobody else's", async () => {
    const a = await newTenant();
    const b = await newTenant();
    await call("PATCH", "/api/me", { token: a.token, body: { name: "Alpha" } });
    await call("PATCH", "/api/me", { token: b.token, body: { name: "Beta" } });
    const res = await call("GET", "/api/me/activity", { token: a.token });
    expectStatus(res, 200);
    expect(res.json.items.map((i: Item) => i.action)).toEqual(["account.update", "auth.signup"]);
    expect(res.json.items.every((i: Item) => i.userId === a.userId)).toBe(true);
    expect(res.json.nextCursor).toBeNull();
  });

  it("pages newest first with a cursor, without gaps or repeats", async () => {
    const t = await newTenant();
    const ws = await newWorkspace(t);
    for (let i = 0; i < 5; i++) await call("PATCH", `/api/workspaces/${ws.id}`, { token: t.token, body: { name: `Name ${i}` } });
    const all = (await orgActivity(t.token, t.orgId, "?limit=100")).items;
    expect(all.filter((i) => i.action === "workspace.update")).toHaveLength(5);
    const seen: Item[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Item[]; nextCursor: string | null } = await orgActivity(t.token, t.orgId, `?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((i) => i.id)).toEqual(all.map((i) => i.id));
    const times = seen.map((i) => i.createdAt);
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });

  it("reads, dev routes and unauthenticated rejections write nothing", async () => {
    const t = await newTenant();
    const before = (await rowsFor("1 = 1")).length;
    await call("GET", "/api/me", { token: t.token });
    await call("GET", "/api/workspaces", { token: t.token });
    await call("GET", "/api/dev/mailbox");
    await call("POST", "/api/dev/seed", { body: {} });
    expectStatus(await call("POST", "/api/workspaces", { body: { name: "No token" } }), 401);
    expect((await rowsFor("1 = 1")).length).toBe(before);
  });
});

describe("activity: errors", () => {
  it("rejects bad paging parameters with 400 in the common shape", async () => {
    const t = await newTenant();
    for (const q of ["?limit=0", "?limit=101", "?limit=abc", "?cursor=nope", "?cursor=123_", "?other=1"]) {
      const res = await call("GET", `/api/orgs/${t.orgId}/activity${q}`, { token: t.token });
      expectStatus(res, 400);
      expect(res.json.error.code).toBe("VALIDATION_FAILED");
      expectStatus(await call("GET", `/api/me/activity${q}`, { token: t.token }), 400);
    }
  });

  it("an unmatched state-changing path is still logged, as unknown", async () => {
    const t = await newTenant();
    expectStatus(await call("POST", "/api/no-such-thing", { token: t.token, body: {} }), 404);
    const rows = await rowsFor("user_id = ? AND action = 'unknown'", t.userId);
    expect(rows).toEqual([expect.objectContaining({ status: 404 })]);
  });
});

describe("activity: security", () => {
  it("P06: activity is readable by organization owners and admins only; another organization's answers 404", async () => {
    const owner = await newTenant();
    const stranger = await newTenant();
    const admin = await inviteAndAccept(owner, { orgId: owner.orgId }, "admin", "Ada Admin");
    const member = await inviteAndAccept(owner, { orgId: owner.orgId }, "member", "Max Member");

    expect((await orgActivity(admin.token, owner.orgId)).items.length).toBeGreaterThan(0);
    const asMember = await call("GET", `/api/orgs/${owner.orgId}/activity`, { token: member.token });
    expectStatus(asMember, 403);
    const asStranger = await call("GET", `/api/orgs/${owner.orgId}/activity`, { token: stranger.token });
    expectStatus(asStranger, 404);
    expect(asStranger.json.error.code).toBe("NOT_FOUND");
    expectStatus(await call("GET", `/api/orgs/${owner.orgId}/activity`), 401);

    // The stranger's own organization log holds nothing of the owner's organization.
    const theirs = await orgActivity(stranger.token, stranger.orgId);
    expect(theirs.items.every((i) => i.userId === stranger.userId)).toBe(true);
  });

  it("no token, cookie or password reaches the activity log", async () => {
    const t = await newTenant();
    await call("POST", "/api/auth/refresh", { headers: { cookie: t.refreshCookie } });
    await call("POST", "/api/auth/logout", { token: t.token, headers: { cookie: t.refreshCookie } });
    const dump = JSON.stringify(await rowsFor("1 = 1"));
    expect(dump).not.toContain(t.token);
    expect(dump).not.toContain(t.refreshCookie.split("=")[1]);
    expect(dump).not.toContain(t.password);
  });
});

describe("activity: naming", () => {
  it("an entry stores the action its route declares and names its target: the provider, the invited domain", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const key = `pk_sandbox_act${Date.now().toString(36)}`;
    await sandboxControl("klaviyo/config", { key, relaxed: true });
    const integration = await connectKey(t, ws.id, "klaviyo", { apiKey: key });
    expectStatus(await call("DELETE", `/api/integrations/${integration.id}`, { token: t.token }), 204);
    expectStatus(await call("POST", `/api/orgs/${t.orgId}/invitations`, { token: t.token, body: { email: "new.person@partner.example", role: "member" } }), 201);

    const { items } = await orgActivity(t.token, t.orgId);
    const find = (action: string) => items.find((i) => i.action === action);
    expect(find("integration.connect")).toMatchObject({ targetType: "provider", targetId: "klaviyo", label: "Connected an integration · klaviyo" });
    expect(find("integration.disconnect")).toMatchObject({ targetType: "provider", targetId: "klaviyo", label: "Disconnected an integration · klaviyo" });
    expect(find("organization.invitation.create")).toMatchObject({ targetType: "email-domain", targetId: "partner.example" });
    expect(find("workspace.create")?.label).toBe("Created a workspace");
    // Never the invitee's full address.
    expect(JSON.stringify(await rowsFor("org_id = ?", t.orgId))).not.toContain("new.person@");
  });

  it("members' sign-ins and sign-outs appear in the organization's log", async () => {
    const t = await newTenant();
    expectStatus(await call("POST", "/api/auth/login", { body: { email: t.email, password: t.password }, ip: "198.51.100.40" }), 200);
    expectStatus(await call("POST", "/api/auth/logout", { token: t.token }), 204);
    const again = await call("POST", "/api/auth/login", { body: { email: t.email, password: t.password }, ip: "198.51.100.41" });
    const labels = (await orgActivity(again.json.accessToken, t.orgId)).items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(["Signed in", "Signed out", "Signed up"]));
    expect(labels.filter((l) => l === "Signed in")).toHaveLength(2);

    const other = await newTenant();
    expect((await orgActivity(other.token, other.orgId)).items.every((i) => i.userId === other.userId), "no other organization's sign-ins").toBe(true);
  });

  it("a past entry keeps its label: the label comes from the stored key, not from today's routes", async () => {
    const t = await newTenant();
    const at = Date.now() - 86_400_000;
    // Written when connect lived at another path and with the key of that time, and one under today's key.
    await env.DB.prepare(`INSERT INTO activity_log (id, org_id, user_id, action, target_type, target_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 201, ?), (?, ?, ?, ?, ?, ?, 201, ?)`)
      .bind("past-1", t.orgId, t.userId, "workspaces.integrations.connect", "provider", "shopify", at, "past-2", t.orgId, t.userId, "integration.connect", "provider", "shopify", at + 1)
      .run();
    const { items } = await orgActivity(t.token, t.orgId);
    expect(items.find((i) => i.id === "past-1")).toMatchObject({ action: "workspaces.integrations.connect", label: "Workspaces integrations connect · shopify" });
    expect(items.find((i) => i.id === "past-2")).toMatchObject({ action: "integration.connect", label: "Connected an integration · shopify" });
  });
});
