import { describe, expect, it } from "vitest";
import { ctxFromEnv } from "../../worker/core/context";
import { sendCampaignExecutor } from "../../worker/features/campaigns/executor";
import { env } from "../support/harness";
import { injectFaults } from "../support/connectors";
import { approveSend, call, createDraft, expectStatus, mailchimpSetup, path, providerCopies, quarterHourFromNow, refOf, sandboxControl, syncNow } from "./support";

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
    let [copy] = await providerCopies(s, draft, refOf(draft.id));
    expect(copy).toMatchObject({ id: tested.json.campaign.providerCampaignId, status: "save" });
    expect(copy!.tests.at(-1).emails).toEqual(["owner@copper.example", "editor@copper.example"]);
    expect(copy!.html).toBe("<p>Everything is 20 % off.</p>");

    const offGrid = await call("POST", path(s, `/${draft.id}/schedule`), { token: s.t.token, body: { scheduledFor: quarterHourFromNow(90) + 7 * 60_000 } });
    expectStatus(offGrid, 422);
    expect(offGrid.json.error.message).toMatch(/quarter-hour/);

    const at = quarterHourFromNow(90);
    const proposed = await call("POST", path(s, `/${draft.id}/schedule`), { token: s.t.token, body: { scheduledFor: at } });
    expectStatus(proposed, 200);
    expect(proposed.json.campaign.pendingAction).toMatchObject({ state: "proposed", scheduledFor: at });
    const approved = await approveSend(s, draft.id, "scheduled");
    expect((await call("GET", path(s, `/${draft.id}`), { token: s.t.token })).json.campaign).toMatchObject({ state: "scheduled", scheduledFor: at });

    const editWhileScheduled = await call("PATCH", path(s, `/${draft.id}`), { token: s.t.token, body: { subject: "Too late" } });
    expectStatus(editWhileScheduled, 409);

    expectStatus(await call("POST", path(s, `/${draft.id}/unschedule`), { token: s.t.token }), 200);
    expect((await call("GET", `/api/workspaces/${s.wsId}/actions/${approved.id}`, { token: s.t.token })).json.state).toBe("cancelled");
    [copy] = await providerCopies(s, draft, refOf(draft.id));
    expect(copy!.status).toBe("save");

    expectStatus(await call("POST", path(s, `/${draft.id}/send`), { token: s.t.token }), 200);
    const done = await approveSend(s, draft.id, "done");
    expect(done.providerResult).toMatchObject({ provider: "mailchimp", state: "sent" });
    const sent = await call("GET", path(s, `/${draft.id}`), { token: s.t.token });
    expect(sent.json.campaign.state).toBe("sent");
    const copies = await providerCopies(s, draft, refOf(draft.id));
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
  it("the approved send retries Mailchimp's 429 (too many simultaneous connections, no Retry-After) and sends once", async () => {
    const s = await mailchimpSetup();
    const draft = await createDraft(s);
    expectStatus(await call("POST", path(s, `/${draft.id}/send`), { token: s.t.token }), 200);
    await injectFaults({ provider: "mailchimp", kind: "429", count: 2, match: "/actions/send" });
    const done = await approveSend(s, draft.id, "done");
    expect(done.attempts).toBe(1);
    const copies = await providerCopies(s, draft, refOf(draft.id));
    expect(copies.map((c) => c.status)).toEqual(["sent"]);
  });

  it("an executor run well before the time lets Mailchimp hold the schedule; running it again changes nothing", async () => {
    const s = await mailchimpSetup();
    const draft = await createDraft(s);
    const at = quarterHourFromNow(120);
    expectStatus(await call("POST", path(s, `/${draft.id}/schedule`), { token: s.t.token, body: { scheduledFor: at } }), 200);
    const action = await approveSend(s, draft.id, "scheduled");
    const record = { id: action.id, orgId: s.t.orgId, workspaceId: s.wsId, kind: "send_campaign" as const, subjectType: "email_campaign", subjectId: draft.id, before: action.before, after: action.after, attemptId: "attempt-1", proposedBy: s.t.userId, agentRunId: null };
    for (let i = 0; i < 2; i++) {
      const outcome = await sendCampaignExecutor.execute({ ctx: ctxFromEnv(env), action: record });
      expect(outcome).toMatchObject({ ok: true, result: { state: "scheduled", scheduledFor: at } });
    }
    const copies = await providerCopies(s, draft, refOf(draft.id));
    expect(copies.map((c) => [c.status, c.sendTime])).toEqual([["schedule", at]]);
    // An hour past its time it is not sent at all.
    const late = await sendCampaignExecutor.execute({ ctx: { ...ctxFromEnv(env), now: at + 2 * 3_600_000 }, action: record });
    expect(late).toMatchObject({ ok: false, retry: false, error: expect.stringMatching(/send time passed/) });
  });

  it("creates the campaign once after a lost answer and sends it once approved", async () => {
    const s = await mailchimpSetup();
    const draft = await createDraft(s);
    await sandboxControl("mailchimp/campaign-writes", { user: s.key, loseNextCreate: true });
    expectStatus(await call("POST", path(s, `/${draft.id}/send`), { token: s.t.token }), 503);
    const retry = await call("POST", path(s, `/${draft.id}/send`), { token: s.t.token });
    expectStatus(retry, 200);
    await approveSend(s, draft.id, "done");
    const copies = await providerCopies(s, draft, refOf(draft.id));
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
