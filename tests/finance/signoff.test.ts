import { describe, expect, it } from "vitest";
import { call, expectStatus, inviteAndAccept } from "../support/harness";
import { HOUR, MONDAY, logTime, newAgency, ok, type Agency } from "./support";

const portal = (a: Agency, p: string) => `/api/workspaces/${a.workspaceId}/finance${p}`;
const titles = async (token: string) => ((await ok("GET", "/api/notifications", token)).notifications as { title: string; link: string | null }[]).filter((n) => /sign|disputed|reopened/i.test(n.title));

/** An agency with a client portal editor, a portal viewer and a week of hours (3 h + 2 h on a project + 1.5 h non-billable). */
async function setup(name: string) {
  const a = await newAgency(name);
  const project = await ok("POST", a.fin("/projects"), a.token, { workspaceId: a.workspaceId, name: "Launch" });
  const e1 = await logTime(a, MONDAY, 3);
  const e2 = await logTime(a, MONDAY + 24 * HOUR, 2, { projectId: project.id });
  const e3 = await logTime(a, MONDAY + 48 * HOUR, 1.5, { billable: false });
  const outside = await logTime(a, MONDAY + 10 * 24 * HOUR, 1);
  const editor = await inviteAndAccept(a, { workspaceId: a.workspaceId }, "editor", "Cleo Client");
  const viewer = await inviteAndAccept(a, { workspaceId: a.workspaceId }, "viewer", "Vic Viewer");
  return { a, project, entries: [e1, e2, e3] as const, outside, editor, viewer };
}

describe("finance: client sign-off of hours: happy path", () => {
  it("the agency asks, the client's portal editor sees entries and totals and approves; approved entries answer 409 until the agency reopens", async () => {
    const { a, entries, outside, editor, viewer } = await setup("Sign");
    const req = await ok("POST", a.fin("/signoffs"), a.token, { workspaceId: a.workspaceId, from: "2026-03-02", to: "2026-03-08", message: "March week 1" });
    expect(req).toMatchObject({ status: "pending", entryCount: 3, totalMinutes: 390, billableMinutes: 300, workspaceName: "Sign Client", projectId: null, requestedByName: expect.any(String) });
    // The client's decider is told in the app (and by email through the same path).
    expect((await titles(editor.token)).map((n) => n.title)).toEqual(["Please sign off 6.5 h for 2026-03-02 – 2026-03-08"]);
    expect(await titles(viewer.token)).toEqual([]);

    const list = await ok("GET", portal(a, "/signoffs"), editor.token);
    expect(list.signoffs).toHaveLength(1);
    expect(list.signoffs[0]).toMatchObject({ id: req.id, status: "pending", canDecide: true });
    const detail = await ok("GET", portal(a, `/signoffs/${req.id}`), editor.token);
    expect(detail.entries.map((e: { id: string }) => e.id).sort()).toEqual(entries.map((e) => e.id).sort());
    expect(detail.entries.map((e: { minutes: number }) => e.minutes)).toEqual([180, 120, 90]);
    expect(detail.byProject).toEqual(expect.arrayContaining([{ project: "General", minutes: 270, entries: 2 }, { project: "Launch", minutes: 120, entries: 1 }]));
    expect(detail.entries[0]).toMatchObject({ date: "2026-03-02", billable: true });
    expect(detail.entries[0]).not.toHaveProperty("rateMinor");

    // Pending: the agency cannot change what the client is looking at.
    expectStatus(await call("PATCH", a.fin(`/time/${entries[0].id}`), { token: a.token, body: { notes: "changed" } }), 409);
    // An entry outside the period stays editable.
    await ok("PATCH", a.fin(`/time/${outside.id}`), a.token, { notes: "fine" }, 200);

    const approved = await ok("POST", portal(a, `/signoffs/${req.id}/decision`), editor.token, { decision: "approve", comment: "Looks right" }, 200);
    expect(approved).toMatchObject({ status: "approved", decidedByName: "Cleo Client", comment: "Looks right", canDecide: false });
    expect((await titles(a.token)).map((n) => n.title)).toEqual(["Sign Client signed off 6.5 h (2026-03-02 – 2026-03-08)"]);
    expect((await ok("GET", a.fin("/signoffs"), a.token)).signoffs[0]).toMatchObject({ status: "approved", decidedByName: "Cleo Client" });

    const locked = await call("PATCH", a.fin(`/time/${entries[1].id}`), { token: a.token, body: { notes: "after approval" } });
    expectStatus(locked, 409);
    expect(locked.json.error.message).toMatch(/sign-off/);
    expectStatus(await call("DELETE", a.fin(`/time/${entries[2].id}`), { token: a.token }), 409);
    // Deciding twice is refused.
    expectStatus(await call("POST", portal(a, `/signoffs/${req.id}/decision`), { token: editor.token, body: { decision: "dispute", comment: "changed my mind" } }), 409);

    const reopened = await ok("POST", a.fin(`/signoffs/${req.id}/reopen`), a.token, undefined, 200);
    expect(reopened.status).toBe("reopened");
    expect((await titles(editor.token)).map((n) => n.title)).toContain("Hours for 2026-03-02 – 2026-03-08 were reopened");
    await ok("PATCH", a.fin(`/time/${entries[1].id}`), a.token, { notes: "corrected" }, 200);
    expectStatus(await call("POST", a.fin(`/signoffs/${req.id}/reopen`), { token: a.token }), 409);
    // The reopened hours can be put up for sign-off again.
    expect((await ok("POST", a.fin("/signoffs"), a.token, { workspaceId: a.workspaceId, from: "2026-03-02", to: "2026-03-08" })).entryCount).toBe(3);
  });

  it("a dispute needs a comment, releases the entries for correction and tells the agency; a project request holds only that project's hours", async () => {
    const { a, project, entries, editor } = await setup("Dispute");
    const req = await ok("POST", a.fin("/signoffs"), a.token, { workspaceId: a.workspaceId, projectId: project.id, from: "2026-03-01", to: "2026-03-31" });
    expect(req).toMatchObject({ entryCount: 1, totalMinutes: 120, projectName: "Launch" });
    // Other hours of the client are not held.
    await ok("PATCH", a.fin(`/time/${entries[0].id}`), a.token, { notes: "free" }, 200);
    const noComment = await call("POST", portal(a, `/signoffs/${req.id}/decision`), { token: editor.token, body: { decision: "dispute" } });
    expectStatus(noComment, 400);
    const disputed = await ok("POST", portal(a, `/signoffs/${req.id}/decision`), editor.token, { decision: "dispute", comment: "The launch took 1 h, not 2" }, 200);
    expect(disputed).toMatchObject({ status: "disputed", comment: "The launch took 1 h, not 2" });
    const notice = (await titles(a.token)).find((n) => /disputed/.test(n.title));
    expect(notice).toMatchObject({ title: "Dispute Client disputed the hours of 2026-03-01 – 2026-03-31", link: "/finance?tab=signoffs" });
    await ok("PATCH", a.fin(`/time/${entries[1].id}`), a.token, { endedAt: MONDAY + 25 * HOUR }, 200);
    // Nothing left to sign in a period whose hours are all held already.
    await ok("POST", a.fin("/signoffs"), a.token, { workspaceId: a.workspaceId, from: "2026-03-01", to: "2026-03-31" });
    const none = await call("POST", a.fin("/signoffs"), { token: a.token, body: { workspaceId: a.workspaceId, from: "2026-03-01", to: "2026-03-31" } });
    expectStatus(none, 422);
  });
});

describe("finance: client sign-off of hours: errors and security", () => {
  it("portal viewers see but cannot decide; the agency's own people cannot sign for the client; members cannot request", async () => {
    const { a, viewer, editor } = await setup("Roles");
    const req = await ok("POST", a.fin("/signoffs"), a.token, { workspaceId: a.workspaceId, from: "2026-03-02", to: "2026-03-08" });
    expect((await ok("GET", portal(a, "/signoffs"), viewer.token)).signoffs[0]).toMatchObject({ id: req.id, canDecide: false });
    expectStatus(await call("POST", portal(a, `/signoffs/${req.id}/decision`), { token: viewer.token, body: { decision: "approve" } }), 403);
    expectStatus(await call("POST", portal(a, `/signoffs/${req.id}/decision`), { token: a.token, body: { decision: "approve" } }), 403);
    const member = await inviteAndAccept(a, { orgId: a.orgId }, "member", "Mo Member");
    expectStatus(await call("POST", a.fin("/signoffs"), { token: member.token, body: { workspaceId: a.workspaceId, from: "2026-03-01", to: "2026-03-31" } }), 403);
    expectStatus(await call("POST", a.fin("/signoffs"), { token: a.token, body: { workspaceId: a.workspaceId, from: "2026-03-08", to: "2026-03-01" } }), 400);
    expectStatus(await call("POST", a.fin("/signoffs"), { token: a.token, body: { workspaceId: a.workspaceId, from: "2026-02-30x", to: "2026-03-01" } }), 400);
    // A viewer is refused whatever the body says (P02); an editor's bad decision is a 400.
    expectStatus(await call("POST", portal(a, `/signoffs/${req.id}/decision`), { token: viewer.token, body: { decision: "maybe" } }), 403);
    expectStatus(await call("POST", portal(a, `/signoffs/${req.id}/decision`), { token: editor.token, body: { decision: "maybe" } }), 400);
  });

  it("tenant isolation: another organization's and another client's requests are not found", async () => {
    const { a, editor } = await setup("IsoA");
    const b = await newAgency("IsoB");
    const req = await ok("POST", a.fin("/signoffs"), a.token, { workspaceId: a.workspaceId, from: "2026-03-02", to: "2026-03-08" });
    expectStatus(await call("GET", b.fin(`/signoffs/${req.id}`), { token: b.token }), 404);
    expectStatus(await call("POST", b.fin(`/signoffs/${req.id}/reopen`), { token: b.token }), 404);
    expectStatus(await call("POST", b.fin("/signoffs"), { token: b.token, body: { workspaceId: a.workspaceId, from: "2026-03-02", to: "2026-03-08" } }), 404);
    expectStatus(await call("GET", a.fin("/signoffs"), { token: b.token }), 404);
    expect((await ok("GET", b.fin("/signoffs"), b.token)).signoffs).toEqual([]);
    // The client of another workspace of the same agency sees nothing of this one.
    const other = await ok("POST", "/api/workspaces", a.token, { orgId: a.orgId, name: "Other client" });
    const otherEditor = await inviteAndAccept(a, { workspaceId: other.id }, "editor", "Olly Other");
    expect((await ok("GET", `/api/workspaces/${other.id}/finance/signoffs`, otherEditor.token)).signoffs).toEqual([]);
    expectStatus(await call("GET", `/api/workspaces/${other.id}/finance/signoffs/${req.id}`, { token: otherEditor.token }), 404);
    expectStatus(await call("POST", `/api/workspaces/${other.id}/finance/signoffs/${req.id}/decision`, { token: otherEditor.token, body: { decision: "approve" } }), 404);
    expectStatus(await call("GET", portal(a, "/signoffs"), { token: otherEditor.token }), 404);
    expectStatus(await call("GET", portal(a, `/signoffs/${req.id}`), { token: b.token }), 404);
    expect((await ok("GET", portal(a, `/signoffs/${req.id}`), editor.token)).status).toBe("pending");
  });
});
