import { describe, expect, it } from "vitest";
import { env } from "../support/harness";
import { injectFaults } from "../support/connectors";
import { approveSend, call, createDraft, expectStatus, klaviyoSetup, path, providerCopies, quarterHourFromNow, refOf, sandboxControl, syncNow, timeArrives } from "./support";

describe("campaigns in Klaviyo: happy path", () => {
  it("creates, tests, schedules, unschedules and sends a campaign; its opens come back with the next sync", async () => {
    const s = await klaviyoSetup();
    const lists = await call("GET", path(s, "/lists"), { token: s.t.token });
    expect(lists.json.integrations[0]).toMatchObject({ provider: "klaviyo", source: "synced" });

    const draft = await createDraft(s, { listId: s.lists[1]?.id ?? s.lists[0]!.id });
    expect(draft).toMatchObject({ state: "draft", providerCampaignId: null, listName: (s.lists[1] ?? s.lists[0])!.name });
    expect(draft.bodyText).toContain("Twenty percent off everything.");

    const tested = await call("POST", path(s, `/${draft.id}/test`), { token: s.t.token, body: { emails: ["owner@northwind.example"] } });
    expectStatus(tested, 200);
    expect(tested.json.campaign).toMatchObject({ state: "test_sent", testSentTo: ["owner@northwind.example"] });
    const providerId = tested.json.campaign.providerCampaignId;
    expect(providerId).toBeTruthy();
    const writes = await sandboxControl("klaviyo/campaign-writes", { key: s.key });
    expect(writes.previews.at(-1).emails).toEqual(["owner@northwind.example"]);

    // Scheduling proposes a send_campaign action; nothing is sent while it waits for approval.
    const at = quarterHourFromNow(120);
    const proposed = await call("POST", path(s, `/${draft.id}/schedule`), { token: s.t.token, body: { scheduledFor: at } });
    expectStatus(proposed, 200);
    expect(proposed.json.campaign).toMatchObject({ state: "test_sent", pendingAction: { state: "proposed", scheduledFor: at } });
    const edit = await call("PATCH", path(s, `/${draft.id}`), { token: s.t.token, body: { subject: "Changed while waiting" } });
    expectStatus(edit, 409);
    const approved = await approveSend(s, draft.id, "scheduled");
    expect(approved).toMatchObject({ kind: "send_campaign", subjectId: draft.id, scheduledFor: at, dueAt: at, approvedBy: s.t.userId });
    const waiting = await call("GET", path(s, `/${draft.id}`), { token: s.t.token });
    expect(waiting.json.campaign).toMatchObject({ state: "scheduled", scheduledFor: at });
    let copies = await providerCopies(s, draft, refOf(draft.id));
    expect(copies.map((c) => [c.id, c.status])).toEqual([[providerId, "Draft"]]);

    // Cancelling withdraws the approved action: the campaign is a draft again, Klaviyo still has a draft.
    const back = await call("POST", path(s, `/${draft.id}/unschedule`), { token: s.t.token });
    expectStatus(back, 200);
    expect(back.json.campaign).toMatchObject({ state: "test_sent", pendingAction: null, scheduledFor: null });
    expect((await call("GET", `/api/workspaces/${s.wsId}/actions/${approved.id}`, { token: s.t.token })).json.state).toBe("cancelled");

    // Scheduled again and approved: when its time comes the runner sends it, once.
    const again = await call("POST", path(s, `/${draft.id}/schedule`), { token: s.t.token, body: { scheduledFor: at } });
    expectStatus(again, 200);
    const second = await approveSend(s, draft.id, "scheduled");
    const ran = await timeArrives(s, second.id, at);
    expect(ran).toMatchObject({ state: "done" });
    expect(await timeArrives(s, second.id, at)).toBeNull();
    const sent = await call("GET", path(s, `/${draft.id}`), { token: s.t.token });
    expect(sent.json.campaign).toMatchObject({ state: "sent", pendingAction: null });
    copies = await providerCopies(s, draft, refOf(draft.id));
    expect(copies).toHaveLength(1);
    expect(copies[0]!.status).toBe("Sent");
    expectStatus(await call("POST", path(s, `/${draft.id}/send`), { token: s.t.token }), 409);

    await syncNow(s);
    const after = await call("GET", path(s, `/${draft.id}`), { token: s.t.token });
    expectStatus(after, 200);
    const r = after.json.campaign.results;
    expect(r).toBeTruthy();
    expect(r.recipients).toBe(copies[0]!.stats!.recipients);
    expect(r.opens).toBe(copies[0]!.stats!.opensUnique);
    expect(r.opens).toBeGreaterThan(0);
    const list = await call("GET", path(s), { token: s.t.token });
    expect(list.json.campaigns.find((c: { id: string }) => c.id === draft.id).results.clicks).toBe(copies[0]!.stats!.clicksUnique);
  });

  it("takes subject, preheader and body from an AI email content item", async () => {
    const s = await klaviyoSetup();
    const contentId = crypto.randomUUID();
    const body = {
      subjectLines: ["New beans have landed", "Fresh roast Friday"],
      preheader: "Three single origins, roasted this week",
      sections: [{ heading: "Ethiopia Guji", body: "Bright & floral." }, { heading: "Colombia Huila", body: "Chocolate and red apple." }],
      cta: { label: "Shop the roast", url: "https://northwind.example/shop" },
    };
    await env.DB.prepare(
      "INSERT INTO generated_content (id, org_id, workspace_id, job_id, variant, kind, title, body, provider, model, prompt, context, status, version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 'email_campaign', 'New beans', ?, 'local', 'local-writer', 'p', '{}', 'approved', 1, ?, ?)",
    )
      .bind(contentId, s.t.orgId, s.wsId, crypto.randomUUID(), JSON.stringify(body), Date.now(), Date.now())
      .run();
    const res = await call("POST", path(s), { token: s.t.token, body: { integrationId: s.integrationId, listId: s.lists[0]!.id, contentId, fromName: "Northwind", replyTo: "hello@northwind.example" } });
    expectStatus(res, 201);
    expect(res.json.campaign).toMatchObject({ subject: "New beans have landed", preheader: "Three single origins, roasted this week", contentId });
    expect(res.json.campaign.bodyHtml).toContain("Bright &amp; floral.");
    expect(res.json.campaign.bodyHtml).toContain('href="https://northwind.example/shop"');
    expect(res.json.campaign.bodyText).toContain("Shop the roast: https://northwind.example/shop");
  });
});

describe("campaigns in Klaviyo: errors", () => {
  it("refuses an unknown list, a time in the past and bad test addresses with 4xx", async () => {
    const s = await klaviyoSetup();
    const unknown = await call("POST", path(s), { token: s.t.token, body: { integrationId: s.integrationId, listId: "NoSuch", subject: "Hi", bodyHtml: "<p>x</p>", fromName: "N", replyTo: "a@b.example" } });
    expectStatus(unknown, 422);
    expect(unknown.json.error.message).toMatch(/list or audience does not exist/);
    const draft = await createDraft(s);
    const past = await call("POST", path(s, `/${draft.id}/schedule`), { token: s.t.token, body: { scheduledFor: Date.now() - 3_600_000 } });
    expectStatus(past, 422);
    expect(past.json.error.details).toEqual({ field: "scheduledFor" });
    const far = await call("POST", path(s, `/${draft.id}/schedule`), { token: s.t.token, body: { scheduledFor: Date.now() + 400 * 86_400_000 } });
    expectStatus(far, 422);
    const bad = await call("POST", path(s, `/${draft.id}/test`), { token: s.t.token, body: { emails: ["not-an-address"] } });
    expectStatus(bad, 400);
    // Nothing reached Klaviyo.
    expect(await providerCopies(s, draft, refOf(draft.id))).toHaveLength(0);
  });

  it("passes Klaviyo's own refusal on as 422 with its reason (a list deleted in Klaviyo after the sync)", async () => {
    const s = await klaviyoSetup();
    const draft = await createDraft(s);
    await sandboxControl("klaviyo/campaign-writes", { key: s.key, removeList: s.lists[0]!.id });
    const res = await call("POST", path(s, `/${draft.id}/test`), { token: s.t.token, body: { emails: ["owner@northwind.example"] } });
    expectStatus(res, 422);
    expect(res.json.error.message).toMatch(/^Klaviyo refused: The following audience ids are invalid/);
    const again = await call("GET", path(s, `/${draft.id}`), { token: s.t.token });
    expect(again.json.campaign).toMatchObject({ state: "draft", providerCampaignId: null });
    expect(again.json.campaign.lastError).toMatch(/audience ids are invalid/);
  });

  it("the approved send waits out Klaviyo's 429 (Retry-After) and sends once; a 30 s wait puts the action back for a retry after it", async () => {
    const s = await klaviyoSetup();
    const draft = await createDraft(s);
    await injectFaults({ provider: "klaviyo", kind: "429", retryAfter: 1, count: 2, match: "campaign-send-jobs" });
    expectStatus(await call("POST", path(s, `/${draft.id}/send`), { token: s.t.token }), 200);
    const done = await approveSend(s, draft.id, "done");
    expect(done.attempts).toBe(1);
    expect(done.providerResult).toMatchObject({ state: "sent", provider: "klaviyo" });
    expect((await providerCopies(s, draft, refOf(draft.id)))[0]!.status).toBe("Sent");

    // Asked to wait 30 s: too long inside one run, so the action is retried later with that wait.
    const other = await createDraft(s, { name: "Second" });
    expectStatus(await call("POST", path(s, `/${other.id}/send`), { token: s.t.token }), 200);
    await injectFaults({ provider: "klaviyo", kind: "429", retryAfter: 30, count: 1, match: "campaign-send-jobs" });
    const started = Date.now();
    const retrying = await approveSend(s, other.id, "scheduled");
    expect(retrying.error).toMatch(/Klaviyo asked QWEB to slow down; try again in 30 s/);
    expect(retrying.dueAt).toBeGreaterThanOrEqual(started + 29_000);
    expect((await providerCopies(s, other, refOf(other.id)))[0]!.status).toBe("Draft");
    await sandboxControl("faults", undefined, "DELETE");
  });

  it("a direct 429 that outlasts the wait answers 429 with Retry-After", async () => {
    const s = await klaviyoSetup();
    const draft = await createDraft(s);
    await injectFaults({ provider: "klaviyo", kind: "429", retryAfter: 30, count: 1, match: "/api/campaigns" });
    const slow = await call("POST", path(s, `/${draft.id}/test`), { token: s.t.token, body: { emails: ["owner@northwind.example"] } });
    expectStatus(slow, 429);
    expect(slow.headers.get("retry-after")).toBe("30");
    await sandboxControl("faults", undefined, "DELETE");
  });

  it("creates the campaign once when the answer to the create was lost and the user tries again", async () => {
    const s = await klaviyoSetup();
    const draft = await createDraft(s);
    await sandboxControl("klaviyo/campaign-writes", { key: s.key, loseNextCreate: true });
    const lost = await call("POST", path(s, `/${draft.id}/test`), { token: s.t.token, body: { emails: ["owner@northwind.example"] } });
    expectStatus(lost, 503);
    expect(await providerCopies(s, draft, refOf(draft.id))).toHaveLength(1);
    const retry = await call("POST", path(s, `/${draft.id}/test`), { token: s.t.token, body: { emails: ["owner@northwind.example"] } });
    expectStatus(retry, 200);
    const copies = await providerCopies(s, draft, refOf(draft.id));
    expect(copies).toHaveLength(1);
    expect(retry.json.campaign.providerCampaignId).toBe(copies[0]!.id);
    expectStatus(await call("POST", path(s, `/${draft.id}/send`), { token: s.t.token }), 200);
    expectStatus(await call("POST", path(s, `/${draft.id}/send`), { token: s.t.token }), 409);
    await approveSend(s, draft.id, "done");
    const after = await providerCopies(s, draft, refOf(draft.id));
    expect(after.map((c) => c.status)).toEqual(["Sent"]);
  });
});
