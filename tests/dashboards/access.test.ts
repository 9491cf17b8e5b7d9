import { describe, expect, it } from "vitest";
import { inviteAndAccept, newTenant, newWorkspace } from "../support/harness";
import { addDays, call, dashboard, expectStatus, fakeIntegration, kpi, order, writeBatch } from "./support";

const today = () => new Date().toISOString().slice(0, 10);
const at = (day: string) => Date.parse(`${day}T12:00:00Z`);

describe("dashboards: access and the agency roll-up", () => {
  it("a portal viewer reads its workspace's dashboard, breakdowns and layout but cannot change the layout or the time zone, nor see the agency roll-up", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner, "Portal Client");
    const viewer = await inviteAndAccept(owner, { workspaceId: ws.id }, "viewer");
    expectStatus(await call("GET", `/api/workspaces/${ws.id}/dashboard`, { token: viewer.token }), 200);
    expectStatus(await call("GET", `/api/workspaces/${ws.id}/dashboard/breakdown?dimension=product&metrics=products_sold`, { token: viewer.token }), 200);
    expectStatus(await call("GET", `/api/workspaces/${ws.id}/dashboard/layout`, { token: viewer.token }), 200);
    const widgets = [{ key: "orders", size: "m" }];
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/dashboard/layout`, { token: viewer.token, body: { widgets } }), 403);
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/dashboard/time-zone`, { token: viewer.token, body: { timeZone: "Europe/Paris" } }), 403);
    expectStatus(await call("GET", `/api/orgs/${owner.orgId}/dashboard`, { token: viewer.token }), 404);
    // The owner's saved choice is what the viewer sees.
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/dashboard/layout`, { token: owner.token, body: { widgets } }), 200);
    const layout = await call("GET", `/api/workspaces/${ws.id}/dashboard/layout`, { token: viewer.token });
    expect(layout.json).toMatchObject({ widgets, custom: true });
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/dashboard/layout`, { token: owner.token, body: { widgets: [{ key: "no_such_metric", size: "s" }] } }), 400);
  });

  it("another organization's workspace dashboard, breakdown, drill-down, layout and roll-up answer 404", async () => {
    const a = await newTenant();
    const ws = await newWorkspace(a, "Victim");
    const b = await newTenant();
    for (const path of ["dashboard", "dashboard/breakdown?dimension=product&metrics=products_sold", "dashboard/drill?dimension=product&metrics=products_sold&value=x", "dashboard/layout"]) {
      expectStatus(await call("GET", `/api/workspaces/${ws.id}/${path}`, { token: b.token }), 404);
    }
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/dashboard/layout`, { token: b.token, body: { widgets: [] } }), 404);
    expectStatus(await call("GET", `/api/orgs/${a.orgId}/dashboard`, { token: b.token }), 404);
  });

  it("the dashboard, breakdown and drill-down (session, access and figures in one D1 batch) answer 401 once the session is logged out, and a preset ends today in the workspace's new time zone right after it changes", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner, "One Batch");
    const paths = ["dashboard", "dashboard/breakdown?dimension=product&metrics=products_sold", "dashboard/drill?dimension=product&metrics=products_sold&value=x"];
    // Far apart: a day in Kiritimati (UTC+14) is never the same date as in Pago Pago (UTC-11).
    const localDay = (timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
    for (const timeZone of ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Pacific/Kiritimati"]) {
      const set = await call("PUT", `/api/workspaces/${ws.id}/dashboard/time-zone`, { token: owner.token, body: { timeZone } });
      expectStatus(set, 200);
      const res = await call("GET", `/api/workspaces/${ws.id}/dashboard?preset=7d`, { token: owner.token });
      expectStatus(res, 200);
      expect(res.json).toMatchObject({ timeZone, range: { to: localDay(timeZone) } });
      expect(res.json.range.from).toBe(addDays(localDay(timeZone), -6));
    }
    for (const path of paths) expectStatus(await call("GET", `/api/workspaces/${ws.id}/${path}`, { token: owner.token }), 200);
    expectStatus(await call("POST", "/api/auth/logout", { token: owner.token }), 204);
    for (const path of paths) expectStatus(await call("GET", `/api/workspaces/${ws.id}/${path}`, { token: owner.token }), 401);
  });

  it("the agency roll-up lists every client with its own currency, totals per currency only, and flags the client whose revenue dropped", async () => {
    const agency = await newTenant({ kind: "agency" });
    const steady = await newWorkspace(agency, "Steady EUR");
    const falling = await newWorkspace(agency, "Falling USD");
    const to = addDays(today(), -1);
    const from = addDays(to, -13);
    const s = await fakeIntegration(agency, steady.id, "woocommerce");
    const f = await fakeIntegration(agency, falling.id, "shopify");
    const orders = [];
    for (let i = 0; i < 28; i++) orders.push(order(`s${i}`, at(addDays(to, -i)), 10_00, "EUR"));
    await writeBatch(s, { orders });
    const usd = [];
    for (let i = 14; i < 28; i++) usd.push(order(`f${i}`, at(addDays(to, -i)), 50_00, "USD"));
    usd.push(order("f-now", at(to), 50_00, "USD", 20_00));
    await writeBatch(f, { orders: usd });

    const res = await call("GET", `/api/orgs/${agency.orgId}/dashboard?from=${from}&to=${to}&compare=previous`, { token: agency.token });
    expectStatus(res, 200);
    const clients = res.json.clients as any[];
    expect(clients.map((c) => c.name)).toEqual(["Falling USD", "Steady EUR"]);
    const byName = Object.fromEntries(clients.map((c) => [c.name, c]));
    const net = (c: any) => c.kpis.find((k: any) => k.key === "revenue_net");
    expect(net(byName["Steady EUR"]).value).toEqual({ EUR: 140_00 });
    expect(net(byName["Steady EUR"]).previous).toEqual({ EUR: 140_00 });
    expect(net(byName["Falling USD"]).value).toEqual({ USD: 30_00 });
    expect(net(byName["Falling USD"]).previous).toEqual({ USD: 700_00 });
    expect(byName["Falling USD"].dropped).toBe(true);
    expect(byName["Steady EUR"].dropped).toBe(false);
    expect(res.json.totals.revenue_net).toEqual({ EUR: 140_00, USD: 30_00 });
    expect(res.json.currencies).toEqual(["EUR", "USD"]);

    // The workspace page shows the same figures as the roll-up.
    const d = await dashboard(agency, falling.id, { area: "commerce", from, to });
    expect(kpi(d, "revenue_net").value).toEqual({ USD: 30_00 });
    expect(kpi(d, "aov").value).toEqual({ USD: 50_00 });
  });
});
