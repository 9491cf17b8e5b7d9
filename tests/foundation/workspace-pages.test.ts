import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { BASE, call, env, expectStatus, newTenant, newWorkspace, type Tenant } from "../support/harness";

async function pages(t: Tenant, query: string) {
  const seen: { id: string; name: string }[][] = [];
  let cursor: string | null = null;
  do {
    const res = await call("GET", `/api/workspaces?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token: t.token });
    expectStatus(res, 200);
    seen.push(res.json.workspaces);
    cursor = res.json.nextCursor;
  } while (cursor && seen.length < 20);
  return seen;
}

describe("workspace lists are paged", () => {
  it("a cursor walks every workspace once, newest first; the last page has no nextCursor", async () => {
    const t = await newTenant();
    const created: string[] = [];
    // Five: the Free plan's workspace allowance (worker/features/billing/plans.ts).
    for (let i = 0; i < 5; i++) created.push((await newWorkspace(t, `Client ${i}`)).id);
    const walked = await pages(t, "limit=2");
    expect(walked.map((p) => p.length)).toEqual([2, 2, 1]);
    const other = await newTenant();
    await newWorkspace(other, "Not yours");
    const one = (await pages(t, "limit=200")).flat();
    expect(one.map((w) => w.id).sort()).toEqual([...created].sort());
    expect(walked.flat().map((w) => w.id)).toEqual(one.map((w) => w.id));
    const times = one.map((w) => (w as unknown as { createdAt: number }).createdAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("defaults to 50 per page and searches by name", async () => {
    const t = await newTenant();
    await newWorkspace(t, "Bistro Uno");
    await newWorkspace(t, "Peak Outfitters");
    const all = await call("GET", "/api/workspaces", { token: t.token });
    expect(all.json).toMatchObject({ nextCursor: null });
    expect(all.json.workspaces).toHaveLength(2);
    const hit = await call("GET", "/api/workspaces?q=bistro", { token: t.token });
    expect(hit.json.workspaces.map((w: { name: string }) => w.name)).toEqual(["Bistro Uno"]);
  });

  it.each(["limit=0", "limit=201", "limit=abc", "cursor=not-a-cursor", `cursor=${btoa("1_x'; DROP")}`])("?%s → 400", async (q) => {
    const t = await newTenant();
    const res = await call("GET", `/api/workspaces?${q}`, { token: t.token });
    expectStatus(res, 400);
    expect(res.json.error.code).toBe("VALIDATION_FAILED");
  });
});

describe("an organization's workspaces are capped (MAX_WORKSPACES_PER_ORG)", () => {
  it("past the limit, creating one answers 409 LIMIT_REACHED with a clear message, and nothing is created", async () => {
    const t = await newTenant();
    const capped = { ...env, MAX_WORKSPACES_PER_ORG: "2" } as Env;
    const create = async (name: string) => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(
        new Request(`${BASE}/api/workspaces`, { method: "POST", headers: { authorization: `Bearer ${t.token}`, "content-type": "application/json" }, body: JSON.stringify({ name }) }),
        capped,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return { status: res.status, json: (await res.json()) as Record<string, any> };
    };
    expect((await create("One")).status).toBe(201);
    expect((await create("Two")).status).toBe(201);
    const third = await create("Three");
    expect(third.status).toBe(409);
    expect(third.json.error).toMatchObject({ code: "LIMIT_REACHED", message: expect.stringContaining("limit of 2 workspaces"), details: { limit: 2 } });
    expect((await call("GET", "/api/workspaces", { token: t.token })).json.workspaces.map((w: { name: string }) => w.name).sort()).toEqual(["One", "Two"]);
  });
});
