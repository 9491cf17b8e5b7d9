import { describe, expect, it } from "vitest";
import { injectFaults } from "../support/connectors";
import { call, createDraft, expectStatus, mailchimpSetup, path, providerCopies, quarterHourFromNow, refOf, sandboxControl, syncNow } from "./support";

describe("campaigns in Mailchimp: happy path", () => {
  it("creates, tests, schedules on the quarter-hour, unschedules and sends; the report comes back with the next sync", async () => {
    const s = await mailchimpSetup();
    const draft = await createDraft(s);
    expect(draft).toMatchObject({ provider: "mailchimp", state: "draft", listName: s.lists[0]!.name });

    const edited = await call("PATCH", path(s, `/${draft.id}`), { token: s.t.token, body: { subject: "Spring sale: 20 % off", bodyHtml: "<p>Everything is 20 % off.</p>" } });
    expectStatus(edited, 200);
    expect(edited.json.campaign).toMatchObject({ subject: "Spring sale: 20 % off", bodyText: "Everything is 20 % off." });

    const tested = await call("POST", path(s, `/${draft.id}/test`), { token: s.t.token, body: { emails: ["owner@copper.example", "editor@copper.example"] } });
    expectStatus(tested, 200);
    expect(tested.json.campaign.state).toBe("test_sent");
    let [copy] = await providerCopies(s, draft as any, refOf(draft.id));
    expect(copy).toMatchObject({ id: tested.json.campaign.providerCampaignId, status: "save" });
    expect((copy as any).tests.at(-1).emails).toEqual(["owner@copper.example", "editor@copper.example"]);
    expect((copy as any).html).toBe("<p>Everything is 20 % off.</p>");

    const offGrid = await call("POST", path(s, `/${draft.id}/schedule`), { token: s.t.token, body: { scheduledFor: quarterHourFromNow(90) + 7 * 60_000 } });
    expectStatus(offGrid, 422);
    expect(offGrid.json.error.message).toMatch(/quarter-hour/);

    const at = quarterHourFromNow(90);
    const scheduled = await call("POST", path(s, `/${draft.id}/schedule`), { token: s.t.token, body: { scheduledFor: at } });
    expectStatus(scheduled, 200);
    expect(scheduled.json.campaign).toMatchObject({ state: "scheduled", scheduledFor: at });
    [copy] = await providerCopies(s, draft as any, refOf(draft.id));
    expect(copy).toMatchObject({ status: "schedule", sendTime: at });

    const editWhileScheduled = await call("PATCH", path(s, `/${draft.id}`), { token: s.t.token, body: { subject: "Too late" } });
    expectStatus(editWhileScheduled, 409);

    expectStatus(await call("POST", path(s, `/${draft.id}/unschedule`), { token: s.t.token }), 200);
    [copy] = await providerCopies(s, draft as any, refOf(draft.id));
    expect(copy!.status).toBe("save");

    const sent = await call("POST", path(s, `/${draft.id}/send`), { token: s.t.token });
    expectStatus(sent, 200);
    expect(sent.json.campaign.state).toBe("sent");
    const copies = await providerCopies(s, draft as any, refOf(draft.id));
    expect(copies.map((c) => c.status)).toEqual(["sent"]);

    await syncNow(s);
    const after = await call("GET", path(s, `/${draft.id}`), { token: s.t.token });
    const stats = await sandboxControl<{ campaigns: { id: string; report: { emailsSent: number; uniqueOpens: number } | null }[] }>(`mailchimp/stats?user=${s.key}`);
    const report = stats.campaigns.find((c) => c.id === copies[0]!.id)!.report!;
    expect(after.json.campaign.results).toMatchObject({ recipients: report.emailsSent, opens: report.uniqueOpens });
    expect(after.json.campaign.results.opens).toBeGreaterThan(0);
  });
});

describe("campaigns in Mailchimp: errors", () => {
  it("retries Mailchimp's 429 (too many simultaneous connections, no Retry-After) and schedules", async () => {
    const s = await mailchimpSetup();
    const draft = await createDraft(s);
    await injectFaults({ provider: "mailchimp", kind: "429", count: 2, match: "/actions/schedule" });
    const at = quarterHourFromNow(60);
    const res = await call("POST", path(s, `/${draft.id}/schedule`), { token: s.t.token, body: { scheduledFor: at } });
    expectStatus(res, 200);
    expect(res.json.campaign.state).toBe("scheduled");
    const [copy] = await providerCopies(s, draft as any, refOf(draft.id));
    expect(copy).toMatchObject({ status: "schedule", sendTime: at });
  });

  it("creates the campaign once after a lost answer; a second send is recorded, not repeated", async () => {
    const s = await mailchimpSetup();
    const draft = await createDraft(s);
    await sandboxControl("mailchimp/campaign-writes", { user: s.key, loseNextCreate: true });
    expectStatus(await call("POST", path(s, `/${draft.id}/send`), { token: s.t.token }), 503);
    const retry = await call("POST", path(s, `/${draft.id}/send`), { token: s.t.token });
    expectStatus(retry, 200);
    const copies = await providerCopies(s, draft as any, refOf(draft.id));
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ id: retry.json.campaign.providerCampaignId, status: "sent" });
  });

  it("answers 404 for another workspace's campaign and 422 for a list not in the account", async () => {
    const a = await mailchimpSetup();
    const b = await mailchimpSetup();
    const draft = await createDraft(a);
    for (const [m, p, body] of [
      ["GET", `/${draft.id}`, undefined],
      ["PATCH", `/${draft.id}`, { subject: "x" }],
      ["POST", `/${draft.id}/test`, { emails: ["x@y.example"] }],
      ["POST", `/${draft.id}/schedule`, { scheduledFor: quarterHourFromNow(60) }],
      ["POST", `/${draft.id}/send`, undefined],
      ["POST", `/${draft.id}/unschedule`, undefined],
    ] as const) {
      expectStatus(await call(m, path(b, p), { token: b.t.token, body }), 404);
    }
    // B's integration with A's list, and A's integration from B's workspace.
    const wrongList = await call("POST", path(b), { token: b.t.token, body: { integrationId: b.integrationId, listId: a.lists[0]!.id, subject: "Hi", bodyHtml: "<p>x</p>", fromName: "N", replyTo: "a@b.example" } });
    expectStatus(wrongList, 422);
    const foreign = await call("POST", path(b), { token: b.t.token, body: { integrationId: a.integrationId, listId: a.lists[0]!.id, subject: "Hi", bodyHtml: "<p>x</p>", fromName: "N", replyTo: "a@b.example" } });
    expectStatus(foreign, 404);
    const list = await call("GET", path(b), { token: b.t.token });
    expect(list.json.campaigns).toEqual([]);
    expectStatus(await call("GET", path(a, `/${draft.id}`), { token: b.t.token }), 404);
  });
});
