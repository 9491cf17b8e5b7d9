import { describe, expect, it } from "vitest";
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import worker from "../../worker/index";
import type { QueueMessage } from "../../worker/core/messages";
import { QUEUES } from "../../worker/lib/queues";
import { sandboxControl } from "../support/connectors";
import { BASE, waitForEmail } from "../support/harness";
import { ownerWithWorkspace } from "../integrations/support";
import { call, env, expectStatus } from "../dashboards/support";

type Stored = { subject: string; text: string; attachments: string };
type Received = { to: string[]; subject: string; text: string; attachments: { filename: string; content_type: string | null; content: string }[] };

const stored = async (to: string, subject: string) => {
  await waitForEmail(to, (m) => m.subject === subject);
  return (await env.DB.prepare(`SELECT subject, text, attachments FROM dev_mailbox WHERE "to" = ? AND subject = ? ORDER BY created_at DESC`).bind(to, subject).first<Stored>())!;
};

async function setUp(title: string) {
  const { t, ws } = await ownerWithWorkspace("Attach Client");
  const me = (await call("GET", "/api/me", { token: t.token })).json;
  const tpl = (await call("GET", `/api/workspaces/${ws.id}/reports/template`, { token: t.token })).json;
  expectStatus(await call("PUT", `/api/workspaces/${ws.id}/reports/template`, {
    token: t.token, body: { title, sections: tpl.sections, branding: { ...tpl.branding, clientName: "Attach Client" }, schedule: "none", recipients: [me.user.id] },
  }), 200);
  return { t, ws, email: me.user.email as string, subject: `Attach Client: ${title} (2026-10-01 to 2026-10-31)` };
}

/** Generates a report through the Worker with the given env (e.g. a lower attachment limit). */
async function generate(target: Env, token: string, workspaceId: string) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${BASE}/api/workspaces/${workspaceId}/reports`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ from: "2026-10-01", to: "2026-10-31" }) }), target, ctx);
  await waitOnExecutionContext(ctx);
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; sizeBytes: number };
}

describe("report email: the PDF attached", () => {
  it("attaches the PDF (base64, Resend's format) and keeps the link; the sandbox receives the same bytes", async () => {
    const { t, ws, email, subject } = await setUp("Attached report");
    const made = await generate(env, t.token, ws.id);
    const mail = await stored(email, subject);
    expect(mail.text).toContain("the PDF is attached");
    expect(mail.text).toMatch(/\/api\/report-shares\/[\w-]+/);
    const attachments = JSON.parse(mail.attachments) as { filename: string; contentType: string; sizeBytes: number; r2Key: string }[];
    expect(attachments).toHaveLength(1);
    expect(attachments[0]).toMatchObject({ filename: "Attach Client Attached report 2026-10-01 to 2026-10-31.pdf", contentType: "application/pdf", sizeBytes: made.sizeBytes });

    // The same message delivered through Resend (sandboxed): the PDF arrives as base64 content.
    const key = `re_sandbox_att${Date.now().toString(36)}`;
    const message: QueueMessage = { kind: "email", messageId: crypto.randomUUID(), to: email, subject: mail.subject, text: mail.text, attachments };
    const batch = createMessageBatch<QueueMessage>(QUEUES.OUTBOUND_EMAIL, [{ id: crypto.randomUUID(), timestamp: Date.now(), attempts: 1, body: message }]);
    const qctx = createExecutionContext();
    await worker.queue(batch, { ...env, RESEND_API_KEY: key } as Env, qctx);
    expect((await getQueueResult(batch, qctx)).explicitAcks).toHaveLength(1);
    const { sent } = await sandboxControl<{ sent: Received[] }>(`resend/sent?to=${encodeURIComponent(email)}`);
    const got = sent.find((s) => s.subject === subject)!;
    expect(got.text).toContain("/api/report-shares/");
    expect(got.attachments.map((a) => [a.filename, a.content_type])).toEqual([["Attach Client Attached report 2026-10-01 to 2026-10-31.pdf", "application/pdf"]]);
    const decoded = Uint8Array.from(atob(got.attachments[0]!.content), (c) => c.charCodeAt(0));
    const pdf = new Uint8Array(await (await exports.default.fetch(new Request(`${BASE}/api/workspaces/${ws.id}/reports/${made.id}/pdf`, { headers: { authorization: `Bearer ${t.token}` } }))).arrayBuffer());
    expect(decoded.byteLength).toBe(pdf.byteLength);
    expect(decoded).toEqual(pdf);
    expect(new TextDecoder().decode(decoded.slice(0, 5))).toBe("%PDF-");
  });

  it("above the size limit the email only links to the PDF and says why", async () => {
    const { t, ws, email, subject } = await setUp("Big report");
    const made = await generate({ ...env, REPORT_ATTACHMENT_MAX_BYTES: "1000" } as Env, t.token, ws.id);
    expect(made.sizeBytes).toBeGreaterThan(1000);
    const mail = await stored(email, subject);
    expect(JSON.parse(mail.attachments)).toEqual([]);
    expect(mail.text).toContain("larger than the 1 KB that can be attached");
    expect(mail.text).toMatch(/\/api\/report-shares\/[\w-]+/);
  });

  it("the sandbox refuses what Resend refuses: an attachment without content or path, content that is not base64", async () => {
    const url = `${env.SANDBOX_URL}/resend/api.resend.com/emails`;
    const send = (attachments: unknown) => fetch(url, { method: "POST", headers: { authorization: "Bearer re_sandbox_attcheck", "content-type": "application/json" }, body: JSON.stringify({ from: "a@qweb.test", to: ["b@qweb.test"], subject: "x", text: "x", attachments }) });
    expect((await send([{ filename: "a.pdf" }])).status).toBe(422);
    expect((await send([{ filename: "a.pdf", content: "not base64!" }])).status).toBe(422);
    expect((await send([{ filename: "a.pdf", content: btoa("%PDF-1.7") }])).status).toBe(200);
  });
});
