import { describe, expect, it } from "vitest";
import { call, env, expectStatus, inviteAndAccept } from "../support/harness";
import { HOUR, MONDAY, logTime, newAgency, ok } from "./support";

describe("finance: timer", () => {
  it("starts, survives a reload (GET answers the running timer), and stops into an entry", async () => {
    const a = await newAgency();
    expect((await ok("GET", a.fin("/timer"), a.token)).timer).toBeNull();
    const started = await ok("POST", a.fin("/timer/start"), a.token, { workspaceId: a.workspaceId, notes: "Ad copy", timeZone: "Europe/Berlin" });
    expect(started).toMatchObject({ endedAt: null, notes: "Ad copy", timeZone: "Europe/Berlin", billable: true });
    const again = await ok("GET", a.fin("/timer"), a.token);
    expect(again.timer.id).toBe(started.id);
    const stopped = await ok("POST", a.fin("/timer/stop"), a.token, undefined, 200);
    expect(stopped.id).toBe(started.id);
    expect(stopped.endedAt).toBeGreaterThanOrEqual(started.startedAt);
    expect((await ok("GET", a.fin("/timer"), a.token)).timer).toBeNull();
    expectStatus(await call("POST", a.fin("/timer/stop"), { token: a.token }), 409);
  });

  it("one running timer per person: starting another stops the first, and concurrent starts leave exactly one running", async () => {
    const a = await newAgency();
    const first = await ok("POST", a.fin("/timer/start"), a.token, { workspaceId: a.workspaceId, timeZone: "UTC" });
    const second = await ok("POST", a.fin("/timer/start"), a.token, { workspaceId: a.workspaceId, timeZone: "UTC" });
    const results = await Promise.all(Array.from({ length: 6 }, () => call("POST", a.fin("/timer/start"), { token: a.token, body: { workspaceId: a.workspaceId, timeZone: "UTC" } })));
    for (const r of results) expect([201, 409], r.text).toContain(r.status);
    const { results: running } = await env.DB.prepare("SELECT id FROM time_entries WHERE org_id = ? AND ended_at IS NULL").bind(a.orgId).all();
    expect(running).toHaveLength(1);
    const { results: firstRows } = await env.DB.prepare("SELECT ended_at FROM time_entries WHERE id IN (?, ?)").bind(first.id, second.id).all<{ ended_at: number | null }>();
    expect(firstRows.every((r) => r.ended_at !== null)).toBe(true);
  });

  it("a teammate's timer is their own", async () => {
    const a = await newAgency();
    const member = await inviteAndAccept(a, { orgId: a.orgId }, "member", "Mia Member");
    await ok("POST", a.fin("/timer/start"), a.token, { workspaceId: a.workspaceId, timeZone: "UTC" });
    expect((await ok("GET", a.fin("/timer"), member.token)).timer).toBeNull();
    await ok("POST", a.fin("/timer/start"), member.token, { workspaceId: a.workspaceId, timeZone: "UTC" });
    expect((await ok("GET", a.fin("/timer"), a.token)).timer).not.toBeNull();
  });
});

describe("finance: time entries", () => {
  it("manual entries list in their week, with their own zone, billable flag and notes", async () => {
    const a = await newAgency();
    await logTime(a, MONDAY, 2, { notes: "Strategy call", billable: false, timeZone: "America/New_York" });
    await logTime(a, MONDAY + 8 * 24 * HOUR, 1);
    const week = await ok("GET", a.fin(`/time?from=${MONDAY - 9 * HOUR}&to=${MONDAY + 7 * 24 * HOUR}`), a.token);
    expect(week.entries).toHaveLength(1);
    expect(week.entries[0]).toMatchObject({ notes: "Strategy call", billable: false, timeZone: "America/New_York", durationMs: 2 * HOUR, billed: false });
  });

  it("refuses bad spans, unknown zones and another organization's workspace", async () => {
    const a = await newAgency();
    const b = await newAgency("Other");
    for (const body of [
      { workspaceId: a.workspaceId, startedAt: MONDAY, endedAt: MONDAY, timeZone: "UTC" },
      { workspaceId: a.workspaceId, startedAt: MONDAY, endedAt: MONDAY + 25 * HOUR, timeZone: "UTC" },
      { workspaceId: a.workspaceId, startedAt: MONDAY, endedAt: MONDAY + HOUR, timeZone: "Mars/Olympus" },
      { workspaceId: a.workspaceId, startedAt: 1e20, endedAt: MONDAY + HOUR, timeZone: "UTC" },
    ]) {
      expectStatus(await call("POST", a.fin("/time"), { token: a.token, body }), 400);
    }
    expectStatus(await call("POST", a.fin("/time"), { token: a.token, body: { workspaceId: b.workspaceId, startedAt: MONDAY, endedAt: MONDAY + HOUR, timeZone: "UTC" } }), 404);
  });

  it("a member edits and deletes only their own entries; an admin sees everyone's", async () => {
    const a = await newAgency();
    const member = await inviteAndAccept(a, { orgId: a.orgId }, "member", "Mo Member");
    const mine = await logTime(a, MONDAY, 1);
    expectStatus(await call("PATCH", a.fin(`/time/${mine.id}`), { token: member.token, body: { notes: "x" } }), 404);
    expectStatus(await call("DELETE", a.fin(`/time/${mine.id}`), { token: member.token }), 404);
    await ok("POST", a.fin("/time"), member.token, { workspaceId: a.workspaceId, startedAt: MONDAY, endedAt: MONDAY + HOUR, timeZone: "UTC" });
    const all = await ok("GET", a.fin(`/time?from=${MONDAY - HOUR}&to=${MONDAY + 2 * HOUR}&userId=all`), a.token);
    expect(all.entries).toHaveLength(2);
    const own = await ok("GET", a.fin(`/time?from=${MONDAY - HOUR}&to=${MONDAY + 2 * HOUR}&userId=all`), member.token);
    expect(own.entries).toHaveLength(1);
    const edited = await ok("PATCH", a.fin(`/time/${mine.id}`), a.token, { notes: "Edited", endedAt: MONDAY + 3 * HOUR });
    expect(edited).toMatchObject({ notes: "Edited", durationMs: 3 * HOUR });
  });
});
