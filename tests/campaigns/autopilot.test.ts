// Autopilot for email campaign sends: inside its guardrails (a list sent to before, N sends a day,
// a list-size cap) a send runs without a person; outside them, or under a privacy-center
// restriction, it waits for one with the reason.
import { describe, expect, it } from "vitest";
import { ctxFromEnv } from "../../worker/core/context";
import { proposeAction } from "../../worker/features/actions";
import { CAMPAIGN_SUBJECT } from "../../worker/features/campaigns/service";
import { env } from "../support/harness";
import { approveSend, call, createDraft, expectStatus, klaviyoSetup, path, providerCopies, quarterHourFromNow, refOf, waitForAction, type Setup } from "./support";

const settings = (s: Setup, body: Record<string, unknown>) => call("PUT", `/api/workspaces/${s.wsId}/actions/settings/send_campaign`, { token: s.t.token, body });

async function pendingOf(s: Setup, campaignId: string) {
  const c = await call("GET", path(s, `/${campaignId}`), { token: s.t.token });
  expectStatus(c, 200);
  const id = c.json.campaign.pendingAction?.id as string;
  expect(id, "the campaign has no pending send").toBeTruthy();
  const a = await call("GET", `/api/workspaces/${s.wsId}/actions/${id}`, { token: s.t.token });
  expectStatus(a, 200);
  return a.json;
}

/** The campaign's latest send action (an autopiloted send now may already be done). */
async function sendActionOf(s: Setup, campaignId: string) {
  const res = await call("GET", `/api/workspaces/${s.wsId}/actions?kind=send_campaign`, { token: s.t.token });
  expectStatus(res, 200);
  const a = res.json.actions.find((x: { subjectId: string; state: string }) => x.subjectId === campaignId && x.state !== "cancelled");
  expect(a, "the campaign has a send action").toBeTruthy();
  return a;
}

/** A first send to the list, approved by a person, so the list counts as sent to before. */
async function firstSendByPerson(s: Setup, listId: string) {
  const first = await createDraft(s, { name: "First", listId });
  expectStatus(await call("POST", path(s, `/${first.id}/send`), { token: s.t.token }), 200);
  const waiting = await pendingOf(s, first.id);
  expect(waiting).toMatchObject({ state: "proposed", canApprove: true });
  expect(waiting.waitReason).toMatch(/has not sent to .* before: the first send to a list waits for a person/);
  await approveSend(s, first.id, "done");
  return first;
}

describe("campaigns: autopilot and guardrails", () => {
  it("the settings show send_campaign as guarded; without autopilot every send waits with no reason", async () => {
    const s = await klaviyoSetup();
    const list = await call("GET", `/api/workspaces/${s.wsId}/actions/settings`, { token: s.t.token });
    expectStatus(list, 200);
    expect(list.json.settings.find((k: { kind: string }) => k.kind === "send_campaign")).toMatchObject({ available: true, guarded: true, autopilot: false });
    const draft = await createDraft(s);
    expectStatus(await call("POST", path(s, `/${draft.id}/send`), { token: s.t.token }), 200);
    expect(await pendingOf(s, draft.id)).toMatchObject({ state: "proposed", waitReason: null });
  });

  it("autopilot sends to a list sent to before, once, and holds the first send to a list and a second send the same day", async () => {
    const s = await klaviyoSetup();
    expectStatus(await settings(s, { autopilot: true, limits: { sendsPerDay: 2 } }), 200);
    const list = s.lists[0]!.id;
    await firstSendByPerson(s, list);

    // Same list, second send today: inside the guardrails, autopilot approves and it is sent once.
    const second = await createDraft(s, { name: "Second", listId: list });
    expectStatus(await call("POST", path(s, `/${second.id}/send`), { token: s.t.token }), 200);
    const action = await sendActionOf(s, second.id);
    expect(action).toMatchObject({ approvedAs: "autopilot", approvedBy: null, waitReason: null });
    const done = await waitForAction(s, action.id, "done");
    expect(done.trail.map((e: { actorRole: string | null; toStatus: string }) => [e.actorRole, e.toStatus])).toContainEqual(["autopilot", "approved"]);
    const copies = await providerCopies(s, second, refOf(second.id));
    expect(copies.map((c) => c.status)).toEqual(["Sent"]);

    // A third the same day is beyond sendsPerDay = 2: it waits for a person, with the reason.
    const third = await createDraft(s, { name: "Third", listId: list });
    expectStatus(await call("POST", path(s, `/${third.id}/send`), { token: s.t.token }), 200);
    const held = await pendingOf(s, third.id);
    expect(held).toMatchObject({ state: "proposed", approvedAs: null });
    expect(held.waitReason).toBe("This workspace already has 2 campaign sends within 24 hours of this one (autopilot allows 2 a day)");
    expect((await providerCopies(s, third, refOf(third.id))).map((c) => c.status)).toEqual(["Draft"]);

    // A list never sent to waits even with room left in the day.
    const other = s.lists.find((l) => l.id !== list)!;
    expect(other, "the account has a second list").toBeTruthy();
    expectStatus(await settings(s, { autopilot: true, limits: { sendsPerDay: 10 } }), 200);
    const fresh = await createDraft(s, { name: "New list", listId: other.id });
    expectStatus(await call("POST", path(s, `/${fresh.id}/send`), { token: s.t.token }), 200);
    const w = await pendingOf(s, fresh.id);
    expect(w.state).toBe("proposed");
    expect(w.waitReason).toBe(`QWEB has not sent to "${other.name}" before: the first send to a list waits for a person`);
  });

  it("the daily cap holds under concurrent proposals: six sends proposed at the same instant, sendsPerDay 3, exactly two more go by autopilot", async () => {
    const s = await klaviyoSetup();
    expectStatus(await settings(s, { autopilot: true, limits: { sendsPerDay: 3 } }), 200);
    const list = s.lists[0]!.id;
    await firstSendByPerson(s, list); // one of the three
    const drafts = await Promise.all(Array.from({ length: 6 }, (_, i) => createDraft(s, { name: `Burst ${i + 1}`, listId: list })));
    // Six proposals at once, as six agent runs (or six editors) make them: straight into the approval
    // path, without the send route's provider round trip that would space them out. Scheduled an
    // hour out, so nothing reaches an inbox during the test.
    const at = quarterHourFromNow(60);
    const ctx = { ...ctxFromEnv(env), tenant: { userId: s.t.userId, orgId: s.t.orgId, workspaceId: s.wsId, role: "org-admin" as const, orgRole: "owner" as const } };
    await Promise.all(drafts.map((d) => proposeAction({
      ctx: { ...ctx, now: Date.now() },
      input: { kind: "send_campaign", subjectType: CAMPAIGN_SUBJECT, subjectId: d.id, summary: `Send ${d.name}`, before: { state: "draft", scheduledFor: null }, after: { state: "scheduled", scheduledFor: at }, scheduledFor: at },
    })));
    const res = await call("GET", `/api/workspaces/${s.wsId}/actions?kind=send_campaign`, { token: s.t.token });
    expectStatus(res, 200);
    const burst = res.json.actions.filter((a: { subjectId: string }) => drafts.some((d) => d.id === a.subjectId));
    expect(burst).toHaveLength(6);
    const auto = burst.filter((a: { approvedAs: string | null }) => a.approvedAs === "autopilot");
    const held = burst.filter((a: { state: string }) => a.state === "proposed");
    expect(auto.map((a: { state: string }) => a.state)).toEqual(["scheduled", "scheduled"]);
    expect(held).toHaveLength(4);
    for (const h of held) expect(h.waitReason).toBe("This workspace already has 3 campaign sends within 24 hours of this one (autopilot allows 3 a day)");
  });

  it("counts sends by their send time: a send scheduled two days out is inside the daily limit, one beside it is not", async () => {
    const s = await klaviyoSetup();
    expectStatus(await settings(s, { autopilot: true, limits: {} }), 200); // default: 1 send a day
    const list = s.lists[0]!.id;
    await firstSendByPerson(s, list);

    const later = quarterHourFromNow(48 * 60);
    const a = await createDraft(s, { name: "In two days", listId: list });
    expectStatus(await call("POST", path(s, `/${a.id}/schedule`), { token: s.t.token, body: { scheduledFor: later } }), 200);
    const scheduled = await pendingOf(s, a.id);
    expect(scheduled).toMatchObject({ state: "scheduled", approvedAs: "autopilot", scheduledFor: later, dueAt: later });

    const b = await createDraft(s, { name: "An hour after it", listId: list });
    expectStatus(await call("POST", path(s, `/${b.id}/schedule`), { token: s.t.token, body: { scheduledFor: later + 3_600_000 } }), 200);
    const held = await pendingOf(s, b.id);
    expect(held.state).toBe("proposed");
    expect(held.waitReason).toBe("This workspace already has 1 campaign send within 24 hours of this one (autopilot allows 1 a day)");
  });

  it("maxRecipients: a list larger than the cap waits for a person; a cap above its size lets autopilot send", async () => {
    const s = await klaviyoSetup();
    const lists = await call("GET", path(s, "/lists"), { token: s.t.token });
    const target = lists.json.integrations[0].lists.find((l: { memberCount: number | null }) => (l.memberCount ?? 0) > 1) as { id: string; name: string; memberCount: number };
    expect(target, "a synced list with members").toBeTruthy();
    expectStatus(await settings(s, { autopilot: true, limits: { sendsPerDay: 5, maxRecipients: target.memberCount - 1 } }), 200);
    await firstSendByPerson(s, target.id);
    const big = await createDraft(s, { name: "Too big", listId: target.id });
    expectStatus(await call("POST", path(s, `/${big.id}/send`), { token: s.t.token }), 200);
    const held = await pendingOf(s, big.id);
    expect(held.state).toBe("proposed");
    expect(held.waitReason).toBe(`"${target.name}" has ${target.memberCount.toLocaleString("en-US")} members; autopilot sends to at most ${(target.memberCount - 1).toLocaleString("en-US")}`);
    expectStatus(await call("POST", path(s, `/${big.id}/unschedule`), { token: s.t.token }), 200);

    expectStatus(await settings(s, { autopilot: true, limits: { sendsPerDay: 5, maxRecipients: target.memberCount } }), 200);
    expectStatus(await call("POST", path(s, `/${big.id}/send`), { token: s.t.token }), 200);
    const auto = await sendActionOf(s, big.id);
    expect(auto).toMatchObject({ approvedAs: "autopilot", waitReason: null });
    await waitForAction(s, auto.id, "done");
    expect((await providerCopies(s, big, refOf(big.id))).map((c) => c.status)).toEqual(["Sent"]);
  });

  it("P19: a restriction in the privacy center stops autopilot from sending a campaign, even inside the guardrails", async () => {
    const s = await klaviyoSetup();
    expectStatus(await settings(s, { autopilot: true, limits: { sendsPerDay: 5 } }), 200);
    await firstSendByPerson(s, s.lists[0]!.id);
    expectStatus(await call("PUT", "/api/privacy/processing", { token: s.t.token, body: { restricted: true } }), 200);
    const draft = await createDraft(s, { name: "Restricted" });
    expectStatus(await call("POST", path(s, `/${draft.id}/send`), { token: s.t.token }), 200);
    const held = await pendingOf(s, draft.id);
    expect(held).toMatchObject({ state: "proposed", approvedAs: null });
    expect(held.waitReason).toMatch(/restricted or objected to in the privacy center/);
    expect((await providerCopies(s, draft, refOf(draft.id))).map((c) => c.status)).toEqual(["Draft"]);
  });
});
