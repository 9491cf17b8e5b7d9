import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { exports } from "cloudflare:workers";
import { connectKey, drain, ownerWithWorkspace } from "../integrations/support";
import { FREQUENT_CRON, runCron } from "../retention/support";
import { BASE, inviteAndAccept, waitForEmail } from "../support/harness";
import { addDays, call, dashboard, digitsOf, env, expectStatus, KEY, kpi, uid } from "../dashboards/support";

/** Every string drawn in the PDF: content streams inflated, hex text operands decoded. */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const raw = new TextDecoder("latin1").decode(bytes);
  const out: string[] = [];
  for (const m of raw.matchAll(/<<([^]*?)>>\s*stream\r?\n/g)) {
    const length = /\/Length (\d+)/.exec(m[1]!);
    if (!/FlateDecode/.test(m[1]!) || !length) continue;
    const start = m.index! + m[0].length;
    const chunk = bytes.slice(start, start + Number(length[1]));
    try {
      const inflated = await new Response(new Blob([chunk]).stream().pipeThrough(new DecompressionStream("deflate"))).arrayBuffer();
      out.push(new TextDecoder("latin1").decode(inflated));
    } catch { /* not inflatable: skipped */ }
  }
  out.push(raw);
  return out.join("\n").replace(/<([0-9A-Fa-f]+)>\s*Tj/g, (_, h: string) => ` ${h.match(/../g)!.map((x) => String.fromCharCode(parseInt(x, 16))).join("")} `).replace(/\(([^)]*)\)\s*Tj/g, " $1 ");
}

const money = (minor: number, cur: string) => `${(minor / 10 ** digitsOf(cur)).toFixed(digitsOf(cur))} ${cur}`;

describe("reports", () => {
  it("a generated PDF shows the dashboard's figures for the range, is listed for the portal, emailed to the recipients, and shared by a link that expires and can be revoked", async () => {
    const { t, ws } = await ownerWithWorkspace("Report Client");
    const storeUrl = `https://rep-${uid()}-orders-200.example`;
    await connectKey(t, ws.id, "woocommerce", { storeUrl, consumerKey: `ck_${KEY}`, consumerSecret: `cs_${KEY}` });
    await drain(ws.id);
    const tpl = (await call("GET", `/api/workspaces/${ws.id}/reports/template`, { token: t.token })).json;
    const me = (await call("GET", "/api/me", { token: t.token })).json;
    const put = await call("PUT", `/api/workspaces/${ws.id}/reports/template`, {
      token: t.token,
      body: { title: "Monthly report", sections: [...tpl.sections, { kind: "note", text: "Strong month for the shop." }], branding: { agencyName: "Northwind Digital", clientName: "Report Client", primaryColor: "#112233", accentColor: "#0ea5e9" }, schedule: "none", recipients: [me.user.id] },
    });
    expectStatus(put, 200);
    const to = addDays(new Date().toISOString().slice(0, 10), -1);
    const from = addDays(to, -89);
    const made = await call("POST", `/api/workspaces/${ws.id}/reports`, { token: t.token, body: { from, to } });
    expectStatus(made, 201);

    const d = await dashboard(t, ws.id, { area: "commerce", from, to, compare: "previous" });
    const cur = Object.keys(kpi(d, "revenue_net").value)[0]!;
    const kpis = (made.json.model.sections as any[]).find((s) => s.kind === "kpis").kpis as any[];
    for (const key of ["revenue_net", "orders", "aov"]) expect(kpis.find((k) => k.key === key).value, key).toEqual(kpi(d, key).value);

    const res = await call("GET", `/api/workspaces/${ws.id}/reports/${made.json.id}/pdf`, { token: t.token });
    expect(res.status).toBe(200);
    const pdfRes = await exports.default.fetch(new Request(`${BASE}/api/workspaces/${ws.id}/reports/${made.json.id}/pdf`, { headers: { authorization: `Bearer ${t.token}` } }));
    const bytes = new Uint8Array(await pdfRes.arrayBuffer());
    expect(pdfRes.headers.get("content-type")).toBe("application/pdf");
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(doc.getTitle()).toBe("Monthly report");
    const text = await pdfText(bytes);
    expect(text).toContain("Northwind Digital");
    expect(text).toContain(`${from} to ${to}`);
    expect(text).toContain(money(kpi(d, "revenue_net").value[cur]!, cur));
    expect(text).toContain(` ${kpi(d, "orders").value[""]} `);
    expect(text).toContain("Strong month for the shop.");

    const mail = await waitForEmail(me.user.email, (m) => m.subject.includes("Monthly report"));
    const link = /\/api\/report-shares\/[\w-]+/.exec(mail.text)![0];
    const viaLink = await exports.default.fetch(new Request(`${BASE}${link}`));
    expect(viaLink.status).toBe(200);
    expect((await viaLink.arrayBuffer()).byteLength).toBe(bytes.byteLength);

    // A share that expires (its clock set back) and one revoked: both 404.
    const share = await call("POST", `/api/workspaces/${ws.id}/reports/${made.json.id}/shares`, { token: t.token, body: { days: 1 } });
    expectStatus(share, 201);
    const path = new URL(share.json.url).pathname;
    expect((await exports.default.fetch(new Request(`${BASE}${path}`))).status).toBe(200);
    await env.DB.prepare("UPDATE report_shares SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, share.json.id).run();
    expect((await exports.default.fetch(new Request(`${BASE}${path}`))).status).toBe(404);
    const again = await call("POST", `/api/workspaces/${ws.id}/reports/${made.json.id}/shares`, { token: t.token, body: { days: 7 } });
    expectStatus(await call("DELETE", `/api/workspaces/${ws.id}/reports/${made.json.id}/shares/${again.json.id}`, { token: t.token }), 204);
    expect((await exports.default.fetch(new Request(`${BASE}${new URL(again.json.url).pathname}`))).status).toBe(404);

    // The portal viewer sees and opens it but cannot generate or share.
    const viewer = await inviteAndAccept(t, { workspaceId: ws.id }, "viewer");
    const list = await call("GET", `/api/workspaces/${ws.id}/reports`, { token: viewer.token });
    expect(list.json.reports.map((r: any) => r.id)).toEqual([made.json.id]);
    expectStatus(await call("GET", `/api/workspaces/${ws.id}/reports/${made.json.id}/pdf`, { token: viewer.token }), 200);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/reports`, { token: viewer.token, body: {} }), 403);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/reports/${made.json.id}/shares`, { token: viewer.token, body: {} }), 403);
  });

  it("a monthly schedule generates last month's report once in the workspace's time zone, however often the cron runs", async () => {
    const { t, ws } = await ownerWithWorkspace("Scheduled Client");
    const tpl = (await call("GET", `/api/workspaces/${ws.id}/reports/template`, { token: t.token })).json;
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/dashboard/time-zone`, { token: t.token, body: { timeZone: "Pacific/Kiritimati" } }), 200);
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/reports/template`, { token: t.token, body: { title: tpl.title, sections: tpl.sections, branding: tpl.branding, schedule: "monthly" } }), 200);
    const next = (await env.DB.prepare("SELECT next_run_at AS n FROM report_templates WHERE workspace_id = ?").bind(ws.id).first<{ n: number }>())!.n;
    for (let i = 0; i < 4; i++) await runCron(FREQUENT_CRON, next + i * 15 * 60_000);
    const list = (await call("GET", `/api/workspaces/${ws.id}/reports`, { token: t.token })).json.reports as any[];
    expect(list).toHaveLength(1);
    const runDay = new Date(next).toISOString().slice(0, 7);
    const prev = new Date(Date.UTC(Number(runDay.slice(0, 4)), Number(runDay.slice(5, 7)) - 2, 1)).toISOString().slice(0, 7);
    expect(list[0]).toMatchObject({ trigger: "schedule", rangeFrom: `${prev}-01` });
    expect(list[0].rangeTo.slice(0, 7)).toBe(prev);
  });
});
