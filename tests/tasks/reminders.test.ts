import { describe, expect, it } from "vitest";
import { inviteAndAccept, newTenant, newWorkspace, waitForEmail } from "../support/harness";
import { call, env, expectStatus } from "../dashboards/support";
import { FREQUENT_CRON, runCron } from "../retention/support";

const HOUR = 3_600_000;
const notices = async (userId: string, title: string) =>
  (await env.DB.prepare("SELECT title, body FROM notifications WHERE user_id = ? AND title LIKE ? AND (title LIKE 'Task due soon: %' OR title LIKE 'Task overdue: %') ORDER BY created_at").bind(userId, `%${title}`).all<{ title: string; body: string }>()).results.map((r) => r.title);

describe("task due-date reminders (cron)", () => {
  it("the assignee hears once when a task is due within 24 h and once when overdue, in the workspace's time zone; a new due date re-arms", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner, "Reminder Client");
    await env.DB.prepare("UPDATE workspaces SET time_zone = 'Pacific/Auckland' WHERE id = ?").bind(ws.id).run();
    const member = await inviteAndAccept(owner, { orgId: owner.orgId }, "member", "Rita Reminded");
    const title = `Send the March report ${crypto.randomUUID().slice(0, 6)}`;
    const made = await call("POST", `/api/workspaces/${ws.id}/tasks`, { token: owner.token, body: { title, assigneeId: member.userId, dueDate: "2027-03-10" } });
    expectStatus(made, 201);
    const done = await call("POST", `/api/workspaces/${ws.id}/tasks`, { token: owner.token, body: { title: `${title} (done)`, assigneeId: member.userId, dueDate: "2027-03-10", status: "done" } });
    expectStatus(done, 201);
    // Due 10 March in Auckland (NZDT, UTC+13): overdue from 11 March 00:00 local = 10 March 11:00 UTC.
    const overdueAt = Date.parse("2027-03-10T11:00:00Z");

    await runCron(FREQUENT_CRON, overdueAt - 30 * HOUR);
    expect(await notices(member.userId, title)).toEqual([]);
    await runCron(FREQUENT_CRON, overdueAt - 20 * HOUR);
    await runCron(FREQUENT_CRON, overdueAt - 19 * HOUR);
    await runCron(FREQUENT_CRON, overdueAt - 1);
    expect(await notices(member.userId, title)).toEqual([`Task due soon: ${title}`]);
    const soonMail = await waitForEmail(member.email, (m) => m.subject === `Task due soon: ${title}`);
    expect(soonMail.text).toContain("due on 2027-03-10");

    await runCron(FREQUENT_CRON, overdueAt);
    await runCron(FREQUENT_CRON, overdueAt + HOUR);
    await runCron(FREQUENT_CRON, overdueAt + 30 * HOUR);
    expect(await notices(member.userId, title)).toEqual([`Task due soon: ${title}`, `Task overdue: ${title}`]);
    await waitForEmail(member.email, (m) => m.subject === `Task overdue: ${title}`);

    // Pushed back three days: both reminders are armed again, for the new date.
    expectStatus(await call("PATCH", `/api/workspaces/${ws.id}/tasks/${made.json.id}`, { token: owner.token, body: { dueDate: "2027-03-13" } }), 200);
    const later = overdueAt + 3 * 24 * HOUR;
    await runCron(FREQUENT_CRON, later - 10 * HOUR);
    await runCron(FREQUENT_CRON, later - 9 * HOUR);
    await runCron(FREQUENT_CRON, later + HOUR);
    await runCron(FREQUENT_CRON, later + 2 * HOUR);
    expect(await notices(member.userId, title)).toEqual([`Task due soon: ${title}`, `Task overdue: ${title}`, `Task due soon: ${title}`, `Task overdue: ${title}`]);
    const mails = () => env.DB.prepare(`SELECT count(*) AS n FROM dev_mailbox WHERE "to" = ? AND (subject = ? OR subject = ?)`).bind(member.email, `Task due soon: ${title}`, `Task overdue: ${title}`).first<{ n: number }>();
    await expect.poll(async () => (await mails())!.n, { timeout: 10_000 }).toBe(4);
    // A finished task is never reminded.
    expect(await notices(member.userId, `${title} (done)`)).toEqual([]);
  });

  it("a task first seen after its due date gets only the overdue notice, once", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner, "Late Client");
    const member = await inviteAndAccept(owner, { orgId: owner.orgId }, "member");
    const title = `Late task ${crypto.randomUUID().slice(0, 6)}`;
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/tasks`, { token: owner.token, body: { title, assigneeId: member.userId, dueDate: "2027-05-01" } }), 201);
    // UTC workspace: overdue from 2 May 00:00 UTC.
    await runCron(FREQUENT_CRON, Date.parse("2027-05-03T08:00:00Z"));
    await runCron(FREQUENT_CRON, Date.parse("2027-05-03T08:15:00Z"));
    expect(await notices(member.userId, title)).toEqual([`Task overdue: ${title}`]);
  });
});
