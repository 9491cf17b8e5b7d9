// The editor's AI email picker: an email written by the AI job fills a campaign's subject,
// preheader and body before anything is saved, and an existing draft can take one.
import { describe, expect, it } from "vitest";
import { startJob, useProvider, waitForJob } from "../ai/support";
import { newTenant, newWorkspace } from "../support/harness";
import { call, createDraft, expectStatus, klaviyoSetup, path, type Setup } from "./support";

const escaped = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

async function aiContent(s: Setup, kind: "email_campaign" | "social_post") {
  await useProvider(s.t, "local");
  const job = await waitForJob(s.t, await startJob(s.t, s.wsId, kind, { brief: "Announce our winter roast, ten percent off this week" }));
  expect(job.status).toBe("succeeded");
  const items = await call("GET", `/api/workspaces/${s.wsId}/content?kind=${kind}`, { token: s.t.token });
  expectStatus(items, 200);
  const item = items.json.items.find((i: { jobId: string }) => i.jobId === job.id);
  expect(item, "the job's content item is listed by kind").toBeTruthy();
  return item as { id: string; title: string; body: { subjectLines: string[]; preheader: string; sections: { heading: string }[]; cta: { label: string } } };
}

describe("campaigns from AI content: happy path", () => {
  it("an AI email fills subject, preheader and body; a draft saved with them keeps the link", async () => {
    const s = await klaviyoSetup();
    const item = await aiContent(s, "email_campaign");
    const res = await call("GET", path(s, `/from-content/${item.id}`), { token: s.t.token });
    expectStatus(res, 200);
    expect(res.json).toMatchObject({ contentId: item.id, title: item.title, subject: item.body.subjectLines[0], preheader: item.body.preheader });
    for (const sec of item.body.sections) expect(res.json.bodyHtml).toContain(escaped(sec.heading));
    expect(res.json.bodyText).toContain(item.body.cta.label);

    // An existing hand-written draft takes the AI email: the fields change and the draft links to it.
    const draft = await createDraft(s);
    expect(draft.contentId).toBeNull();
    const patched = await call("PATCH", path(s, `/${draft.id}`), { token: s.t.token, body: { subject: res.json.subject, preheader: res.json.preheader, bodyHtml: res.json.bodyHtml, contentId: item.id } });
    expectStatus(patched, 200);
    expect(patched.json.campaign).toMatchObject({ contentId: item.id, subject: res.json.subject, preheader: res.json.preheader, bodyHtml: res.json.bodyHtml });
    expect(patched.json.campaign.bodyText).toContain(item.body.cta.label);
  });
});

describe("campaigns from AI content: errors and security", () => {
  it("another kind of content is 422, an unknown or another workspace's item is 404, for the preview and the edit", async () => {
    const s = await klaviyoSetup();
    const post = await aiContent(s, "social_post");
    const wrong = await call("GET", path(s, `/from-content/${post.id}`), { token: s.t.token });
    expectStatus(wrong, 422);
    expect(wrong.json.error).toMatchObject({ code: "UNPROCESSABLE", details: { field: "contentId" } });
    expectStatus(await call("GET", path(s, "/from-content/not-a-content-id"), { token: s.t.token }), 404);

    // The same organization's other workspace: its email is not this workspace's.
    const other = await newWorkspace(s.t, "Other client");
    const elsewhere = await aiContent({ ...s, wsId: other.id }, "email_campaign");
    expectStatus(await call("GET", path(s, `/from-content/${elsewhere.id}`), { token: s.t.token }), 404);
    const draft = await createDraft(s);
    expectStatus(await call("PATCH", path(s, `/${draft.id}`), { token: s.t.token, body: { contentId: elsewhere.id } }), 404);
    expectStatus(await call("PATCH", path(s, `/${draft.id}`), { token: s.t.token, body: { contentId: post.id } }), 422);
    const unchanged = await call("GET", path(s, `/${draft.id}`), { token: s.t.token });
    expect(unchanged.json.campaign.contentId).toBeNull();

    // Another organization's member sees nothing of it.
    const stranger = await newTenant({ name: "Stranger" });
    expectStatus(await call("GET", path(s, `/from-content/${elsewhere.id}`), { token: stranger.token }), 404);
  });
});
