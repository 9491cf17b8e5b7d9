import { describe, expect, it } from "vitest";
import { call, connectGmail, conversations, deliver, env, expectStatus, ownerWithWorkspace, syncMailbox, uniqueAddress } from "./support";
import { inviteAndAccept, newTenant } from "../support/harness";
import { addBusinessMinutes, checkSlas } from "../../worker/features/inbox/sla";
import { ctxFromEnv } from "../../worker/core/context";

const WEEKDAYS = { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" };
const local = (ms: number, timeZone: string) => {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", weekday: "short", hour: "2-digit", minute: "2-digit" }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { weekday: p.weekday, time: `${p.hour}:${p.minute}` };
};
const slaNotices = async (userId: string) =>
  (await env.DB.prepare("SELECT title, body FROM notifications WHERE user_id = ? AND title LIKE 'SLA %' ORDER BY created_at").bind(userId).all<{ title: string; body: string }>()).results;

describe("SLA: business hours", () => {
  it("counts only business minutes in the workspace's time zone: across the evening, the weekend and DST", () => {
    // Friday 16:30 in Berlin (CET, UTC+1) + 60 business minutes = Monday 09:30.
    const fri = Date.UTC(2026, 0, 9, 15, 30);
    const due = addBusinessMinutes(fri, 60, "Europe/Berlin", WEEKDAYS);
    expect(new Date(due).toISOString()).toBe("2026-01-12T08:30:00.000Z");
    // Before opening: the clock starts at 09:00 local.
    expect(new Date(addBusinessMinutes(Date.UTC(2026, 0, 12, 5, 0), 30, "Europe/Berlin", WEEKDAYS)).toISOString()).toBe("2026-01-12T08:30:00.000Z");
    // New York across the spring DST change (8 March 2026): Friday 16:00 EST + 120 min = Monday 10:00 EDT.
    expect(new Date(addBusinessMinutes(Date.UTC(2026, 2, 6, 21, 0), 120, "America/New_York", WEEKDAYS)).toISOString()).toBe("2026-03-09T14:00:00.000Z");
    // Two full business days.
    expect(new Date(addBusinessMinutes(Date.UTC(2026, 0, 12, 8, 0), 16 * 60, "Europe/Berlin", WEEKDAYS)).toISOString()).toBe("2026-01-13T16:00:00.000Z");
  });
});

describe("SLA: notifications", () => {
  it("an unanswered conversation raises an at-risk notice before its first-response target and a breach notice when it passes, once each, to its assignee", async () => {
    const { t, ws } = await ownerWithWorkspace("SLA Co");
    const pat = await inviteAndAccept(t, { orgId: t.orgId }, "member", "Pat SLA");
    const put = await call("PUT", `/api/workspaces/${ws.id}/inbox/sla`, { token: t.token, body: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60, atRiskPercent: 75, timeZone: "Europe/Berlin", hours: WEEKDAYS } });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ configured: true, firstResponseMinutes: 60, timeZone: "Europe/Berlin" });
    const address = uniqueAddress("sla");
    const id = await connectGmail(t, ws.id, address);
    await syncMailbox(id);
    const tag = crypto.randomUUID().slice(0, 6);
    await deliver(address, { from: "Vera <vera@client.example>", subject: `Urgent change ${tag}`, text: "Could you update the prices today?" });
    await call("POST", `/api/inbox/mailboxes/${id}/sync`, { token: t.token });
    await syncMailbox(id);
    const conv = (await conversations(t)).conversations.find((c) => c.subject === `Urgent change ${tag}`)!;
    expectStatus(await call("PATCH", `/api/inbox/conversations/${conv.id}`, { token: t.token, body: { assigneeId: pat.userId } }), 200);

    const due = addBusinessMinutes(conv.waitingSince, 60, "Europe/Berlin", WEEKDAYS);
    const risk = addBusinessMinutes(conv.waitingSince, 45, "Europe/Berlin", WEEKDAYS);
    // The due time falls inside Berlin's business hours on a weekday.
    const d = local(due, "Europe/Berlin");
    expect(["Mon", "Tue", "Wed", "Thu", "Fri"]).toContain(d.weekday);
    expect(d.time >= "09:00" && d.time <= "17:00").toBe(true);
    const run = (now: number) => checkSlas({ ctx: ctxFromEnv(env, { now }) });

    await run(risk - 60_000);
    expect(await slaNotices(pat.userId)).toEqual([]);
    await run(risk + 60_000);
    await run(risk + 120_000);
    expect(await slaNotices(pat.userId)).toEqual([expect.objectContaining({ title: `SLA at risk: Urgent change ${tag}`, body: expect.stringContaining("first response") })]);
    const atRisk = await conversations(t, { sla: "at_risk" });
    expect(atRisk.conversations.map((c) => c.id)).toContain(conv.id);
    expect(atRisk.counts.atRisk).toBeGreaterThanOrEqual(1);
    expect(atRisk.conversations.find((c) => c.id === conv.id)).toMatchObject({ slaState: "at_risk", slaDueAt: due });

    await run(due + 60_000);
    await run(due + 15 * 60_000);
    const notices = await slaNotices(pat.userId);
    expect(notices.map((n) => n.title)).toEqual([`SLA at risk: Urgent change ${tag}`, `SLA breached: Urgent change ${tag}`]);
    // The owner got none of this conversation's notices: it has an assignee.
    expect((await slaNotices(t.userId)).filter((n) => n.title.includes(tag))).toEqual([]);
    // Resolved: it leaves the at-risk list.
    expectStatus(await call("PATCH", `/api/inbox/conversations/${conv.id}`, { token: t.token, body: { status: "resolved" } }), 200);
    await run(due + 30 * 60_000);
    expect((await conversations(t, { sla: "at_risk", status: "resolved" })).conversations.map((c) => c.id)).not.toContain(conv.id);
  });

  it("unassigned conversations notify the organization's owners and admins", async () => {
    const { t, ws } = await ownerWithWorkspace("SLA Owners Co");
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/inbox/sla`, { token: t.token, body: { firstResponseMinutes: 30, resolutionMinutes: 600, timeZone: "UTC", hours: { days: [0, 1, 2, 3, 4, 5, 6], start: "00:00", end: "23:59" } } }), 200);
    const address = uniqueAddress("slaown");
    const id = await connectGmail(t, ws.id, address);
    await syncMailbox(id);
    await checkSlas({ ctx: ctxFromEnv(env, { now: Date.now() + 40 * 86_400_000 }) });
    const notices = await slaNotices(t.userId);
    expect(notices.some((n) => n.title.startsWith("SLA breached: "))).toBe(true);
  });
});

describe("SLA: errors and security", () => {
  it("bad settings answer 400; a viewer cannot change them (403); another organization gets 404", async () => {
    const { t, ws } = await ownerWithWorkspace("SLA Sec Co");
    const good = { firstResponseMinutes: 60, resolutionMinutes: 600, timeZone: "UTC", hours: WEEKDAYS };
    for (const body of [{}, { ...good, timeZone: "Mars/Olympus" }, { ...good, hours: { days: [1], start: "17:00", end: "09:00" } }, { ...good, firstResponseMinutes: 0 }, { ...good, hours: { days: [9], start: "09:00", end: "17:00" } }, { ...good, extra: 1 }]) {
      const res = await call("PUT", `/api/workspaces/${ws.id}/inbox/sla`, { token: t.token, body });
      expectStatus(res, 400);
      expect(res.json.error.code).toBeTruthy();
    }
    expect((await call("GET", `/api/workspaces/${ws.id}/inbox/sla`, { token: t.token })).json.configured).toBe(false);
    const viewer = await inviteAndAccept(t, { workspaceId: ws.id }, "viewer");
    expectStatus(await call("GET", `/api/workspaces/${ws.id}/inbox/sla`, { token: viewer.token }), 200);
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/inbox/sla`, { token: viewer.token, body: good }), 403);
    const other = await newTenant();
    expectStatus(await call("GET", `/api/workspaces/${ws.id}/inbox/sla`, { token: other.token }), 404);
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/inbox/sla`, { token: other.token, body: good }), 404);
    expectStatus(await call("DELETE", `/api/workspaces/${ws.id}/inbox/sla`, { token: other.token }), 404);
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/inbox/sla`, { token: t.token, body: good }), 200);
    expectStatus(await call("DELETE", `/api/workspaces/${ws.id}/inbox/sla`, { token: t.token }), 204);
  });
});
