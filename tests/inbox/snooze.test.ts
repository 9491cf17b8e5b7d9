// Snooze: validated times, the Snoozed filter and count, the conversation back in the open list at
// its time and back to open in the row (the 15-minute cron, with a note to its assignee); the
// picker's presets are wall-clock times in the workspace's time zone.
import { describe, expect, it } from "vitest";
import { ctxFromEnv } from "../../worker/core/context";
import { wakeSnoozed } from "../../worker/features/inbox/snooze";
import { fromLocalInput, snoozePresets, wallClock, zonedInstant } from "../../web/src/pages/inbox/snooze-times";
import { call, connectGmail, conversations, env, expectStatus, ownerWithWorkspace, syncMailbox, uniqueAddress } from "./support";

const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("snoozing a conversation", () => {
  it("rejects past, missing, too distant and stray times with 400; a snoozed conversation leaves the open list, is counted and filtered as Snoozed, and comes back at its time", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const id = await connectGmail(t, ws.id, uniqueAddress("snooze"));
    await syncMailbox(id);
    const start = await conversations(t);
    const [a, b] = start.conversations as [Record<string, any>, Record<string, any>];
    const patch = (cid: string, body: unknown) => call("PATCH", `/api/inbox/conversations/${cid}`, { token: t.token, body });

    for (const body of [
      { status: "snoozed", snoozedUntil: Date.now() - 60_000 },
      { status: "snoozed" },
      { status: "snoozed", snoozedUntil: Date.now() + 400 * DAY },
      { snoozedUntil: Date.now() + DAY },
      { status: "open", snoozedUntil: Date.now() + DAY },
      { status: "snoozed", snoozedUntil: "tomorrow" },
    ]) {
      const res = await patch(a.id, body);
      expectStatus(res, 400);
      expect(res.json.error.code).toBe("VALIDATION_FAILED");
    }
    expect((await conversations(t)).conversations.map((c) => c.id)).toContain(a.id);

    // b: snoozed for a day; a: snoozed for a moment.
    const until = Date.now() + DAY;
    const snoozed = await patch(b.id, { status: "snoozed", snoozedUntil: until });
    expectStatus(snoozed, 200);
    expect(snoozed.json).toMatchObject({ status: "snoozed", snoozedUntil: until });
    expectStatus(await patch(b.id, { assigneeId: t.userId }), 200);
    expectStatus(await patch(a.id, { status: "snoozed", snoozedUntil: Date.now() + 1500 }), 200);
    const during = await conversations(t);
    expect(during.conversations.map((c) => c.id)).not.toContain(a.id);
    expect(during.conversations.map((c) => c.id)).not.toContain(b.id);
    expect(during.counts.open).toBe(start.counts.open! - 2);
    expect(during.counts.snoozed).toBe(2);
    const filtered = await conversations(t, { status: "snoozed" });
    expect(filtered.conversations.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect(filtered.conversations.find((c) => c.id === b.id)).toMatchObject({ snoozedUntil: until, status: "snoozed" });

    // a's time comes: it is in the open list again at once, then open in its row after the cron.
    await sleep(1700);
    const back = await conversations(t);
    expect(back.conversations.find((c) => c.id === a.id)).toMatchObject({ status: "open" });
    expect(back.counts.snoozed).toBe(1);
    const woken = await wakeSnoozed({ ctx: ctxFromEnv(env) });
    expect(woken.woken).toBeGreaterThanOrEqual(1);
    const row = await env.DB.prepare("SELECT status, snoozed_until AS u FROM conversations WHERE id = ?").bind(a.id).first<{ status: string; u: number | null }>();
    expect(row).toEqual({ status: "open", u: null });
    // b is still snoozed; its time comes (the cron at that time), its assignee hears of it.
    expect((await env.DB.prepare("SELECT status FROM conversations WHERE id = ?").bind(b.id).first<{ status: string }>())!.status).toBe("snoozed");
    await env.DB.prepare("UPDATE conversations SET snoozed_until = ? WHERE id = ?").bind(Date.now() - 1000, b.id).run();
    await wakeSnoozed({ ctx: ctxFromEnv(env) });
    expect((await env.DB.prepare("SELECT status FROM conversations WHERE id = ?").bind(b.id).first<{ status: string }>())!.status).toBe("open");
    const notes = await env.DB.prepare("SELECT title, link FROM notifications WHERE user_id = ? AND title LIKE 'Back from snooze%'").bind(t.userId).all<{ title: string; link: string }>();
    expect(notes.results).toEqual([{ title: `Back from snooze: ${b.subject}`, link: `/inbox?conversation=${b.id}` }]);
  });

  it("another organization cannot snooze the conversation (404)", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const id = await connectGmail(t, ws.id, uniqueAddress("snooze-iso"));
    await syncMailbox(id);
    const conv = (await conversations(t)).conversations[0]!;
    const { t: other } = await ownerWithWorkspace("Other");
    expectStatus(await call("PATCH", `/api/inbox/conversations/${conv.id}`, { token: other.token, body: { status: "snoozed", snoozedUntil: Date.now() + DAY } }), 404);
  });
});

describe("snooze presets in the workspace's time zone", () => {
  it("later today, tomorrow 9:00 and next Monday 9:00 are wall-clock times there, across a DST change", () => {
    // Friday 2026-03-27 10:20 in Berlin (UTC+1); Europe moves to UTC+2 on Sunday the 29th.
    const now = Date.UTC(2026, 2, 27, 9, 20);
    const tz = "Europe/Berlin";
    const p = Object.fromEntries(snoozePresets(now, tz).map((x) => [x.id, x.at]));
    expect(p.later).toBe(Date.UTC(2026, 2, 27, 13, 0)); // 14:00 Berlin
    expect(p.tomorrow).toBe(Date.UTC(2026, 2, 28, 8, 0)); // Sat 09:00 (UTC+1)
    expect(p.monday).toBe(Date.UTC(2026, 2, 30, 7, 0)); // Mon 09:00 (UTC+2)
    expect(wallClock(p.monday!, tz)).toMatchObject({ weekday: 1, h: 9, mi: 0 });
    // In New York the same instant is 05:20 on Friday.
    const ny = Object.fromEntries(snoozePresets(now, "America/New_York").map((x) => [x.id, x.at]));
    expect(ny.tomorrow).toBe(Date.UTC(2026, 2, 28, 13, 0));
    expect(ny.monday).toBe(Date.UTC(2026, 2, 30, 13, 0));
    // Late in the evening there is no "later today"; on a Monday, next Monday is a week on.
    const monNight = Date.UTC(2026, 2, 30, 20, 30); // Mon 22:30 Berlin
    const late = snoozePresets(monNight, tz);
    expect(late.map((x) => x.id)).toEqual(["tomorrow", "monday"]);
    expect(late[1]!.at).toBe(Date.UTC(2026, 3, 6, 7, 0));
    expect(fromLocalInput("2026-12-24T18:30", "Asia/Tokyo")).toBe(Date.UTC(2026, 11, 24, 9, 30));
    expect(fromLocalInput("not a date", tz)).toBeNull();
    expect(zonedInstant(2026, 1, 32, 9, 0, "UTC")).toBe(Date.UTC(2026, 1, 1, 9, 0));
  });
});
