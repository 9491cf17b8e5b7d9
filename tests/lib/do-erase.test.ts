// A Durable Object whose storage was wiped with deleteAll (erasure, or an empty throttle's alarm)
// stays in memory without running its constructor again: it must still answer, not fail with
// "no such table". The throttle's case is in tests/auth/login-throttle.test.ts.
import { describe, expect, it } from "vitest";
import { env } from "../support/harness";

describe("Durable Objects after their storage is erased", () => {
  it("a workspace's sync object answers after erase, with nothing of before", async () => {
    const stub = env.WORKSPACE_SYNC.getByName(`erase-${crypto.randomUUID()}`);
    expect(await stub.cursors("int-1")).toEqual([]);
    await stub.erase();
    expect(await stub.cursors("int-1")).toEqual([]);
  });

  it("a mailbox object answers after erase, as one never started", async () => {
    const stub = env.MAILBOX.getByName(`erase-${crypto.randomUUID()}`);
    const fresh = await stub.status();
    await stub.erase();
    expect(await stub.status()).toEqual(fresh);
  });
});
