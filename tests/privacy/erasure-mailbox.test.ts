import { describe, expect, it } from "vitest";
import { call, env, expectStatus, newTenant, PASSWORD } from "../support/harness";
import { daily, DAY } from "../retention/support";

const mail = (to: string, userId: string | null, at: number) =>
  env.DB.prepare(`INSERT INTO dev_mailbox (id, message_id, user_id, "to", subject, text, created_at) VALUES (?, ?, ?, ?, 'Reset your password', 'link', ?)`)
    .bind(crypto.randomUUID(), crypto.randomUUID(), userId, to, at)
    .run();
const mailboxOf = async (to: string) => (await env.DB.prepare(`SELECT user_id FROM dev_mailbox WHERE "to" = ?`).bind(to).all()).results.length;

describe("erasure clears what was mailed to the user (dev mailbox)", () => {
  it("mail addressed to the erased user's email goes with the account, with or without a user id; a bystander's stays", async () => {
    const a = await newTenant({ name: "Mailed" });
    const b = await newTenant({ name: "Bystander" });
    const res = await call("DELETE", "/api/me", { token: a.token, body: { password: PASSWORD } });
    expectStatus(res, 202);
    const deletedAt = res.json.deletedAt as number;
    // Sent by address only (a reset link, an invitation) a day before the purge: no rolling rule reaches it yet.
    await mail(a.email.toLowerCase(), null, deletedAt + 29 * DAY);
    await mail(a.email.toLowerCase(), a.userId, deletedAt + 29 * DAY);
    await mail(b.email.toLowerCase(), null, deletedAt + 29 * DAY);

    await daily(deletedAt + 30 * DAY);
    expect(await mailboxOf(a.email.toLowerCase())).toBe(0);
    expect(await mailboxOf(b.email.toLowerCase())).toBe(1);
  });
});
