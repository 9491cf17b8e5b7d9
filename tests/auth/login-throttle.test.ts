import { runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { env, expectStatus, uniqueEmail } from "../support/harness";
import { login, mailTo, nextIp, signupAccount, waitForMail } from "./helpers";

const WRONG = "not the right password";
const isLockout = (m: { subject: string }) => m.subject.includes("were blocked");

afterEach(() => {
  vi.useRealTimers();
});

describe("login throttle: security", () => {
  it("P12: the 6th attempt in 15 minutes is refused even with the right password, other IPs still sign in, and it recovers after the window", async () => {
    const start = Date.now();
    vi.setSystemTime(start);
    const a = await signupAccount({ name: "Locked" });
    const attacker = nextIp();

    for (let i = 1; i <= 5; i++) {
      const res = await login(a.email, WRONG, attacker);
      expectStatus(res, 401);
      expect(res.json.error.message).toBe("Incorrect email or password");
    }
    const sixth = await login(a.email, WRONG, attacker);
    expectStatus(sixth, 429);
    expect(sixth.json.error.code).toBe("RATE_LIMITED");
    const retryAfter = Number(sixth.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    const rightFromAttacker = await login(a.email, a.password, attacker);
    expectStatus(rightFromAttacker, 429);
    expect(Number(rightFromAttacker.headers.get("retry-after"))).toBeGreaterThan(0);

    // No malicious lockout: the owner signs in from anywhere else.
    expectStatus(await login(a.email, a.password, nextIp()), 200);

    // 14 minutes later the lock holds; once the window has passed it lifts.
    vi.setSystemTime(start + 14 * 60_000);
    expectStatus(await login(a.email, a.password, attacker), 429);
    vi.setSystemTime(start + 15 * 60_000 + 1_000);
    expectStatus(await login(a.email, a.password, attacker), 200);
  });

  it("P12: the owner gets exactly one lockout email, naming the blocking IP", async () => {
    const a = await signupAccount({ name: "Notified" });
    const attacker = nextIp();
    for (let i = 0; i < 8; i++) await login(a.email, WRONG, attacker);
    // A second attacking IP locks its own source out too, but does not mail the owner again.
    const second = nextIp();
    for (let i = 0; i < 6; i++) await login(a.email, WRONG, second);

    const [mail] = await waitForMail(a.email, isLockout);
    expect(mail!.text).toContain(attacker);
    expect(mail!.text).toContain("/reset-password");
    expect(mail!.text).not.toContain(WRONG);
    await new Promise((r) => setTimeout(r, 2_500)); // let any second message drain from the queue
    expect((await mailTo(a.email)).filter(isLockout)).toHaveLength(1);
  });

  it("P12: one IP failing across many accounts is stopped (credential stuffing), other IPs are not", async () => {
    const victim = await signupAccount({ name: "Stuffed" });
    const stuffer = nextIp();
    for (let batch = 0; batch < 5; batch++) {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => login(uniqueEmail("stuffed"), WRONG, stuffer)),
      );
      for (const res of results) expectStatus(res, 401);
    }
    const next = await login(victim.email, victim.password, stuffer);
    expectStatus(next, 429);
    expect(Number(next.headers.get("retry-after"))).toBeGreaterThan(0);
    expectStatus(await login(victim.email, victim.password, nextIp()), 200);
  }, 90_000); // 50 bcrypt comparisons: slow on a busy 2-core machine

  it("P12: parallel guesses cannot slip past the limit", async () => {
    const a = await signupAccount({ name: "Parallel" });
    const ip = nextIp();
    const results = await Promise.all(Array.from({ length: 12 }, () => login(a.email, WRONG, ip)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it("P12: a successful sign-in clears that source's failures for the account", async () => {
    const a = await signupAccount({ name: "Typo" });
    const ip = nextIp();
    for (let i = 0; i < 4; i++) expectStatus(await login(a.email, WRONG, ip), 401);
    expectStatus(await login(a.email, a.password, ip), 200);
    for (let i = 0; i < 4; i++) expectStatus(await login(a.email, WRONG, ip), 401);
    expectStatus(await login(a.email, a.password, ip), 200);
  });

  it("P12: once the window's alarm has emptied a source's throttle, that source still signs in and is still counted", async () => {
    // The alarm clears an empty object's storage while the object stays in memory: every login
    // from that IP then answered 500 ("no such table: events") until the object was evicted.
    const start = Date.now();
    vi.setSystemTime(start);
    const a = await signupAccount({ name: "Quiet" });
    const ip = nextIp();
    expectStatus(await login(a.email, WRONG, ip), 401);
    vi.setSystemTime(start + 16 * 60_000);
    for (const key of [`login:ip:${ip}`, `login:acct:${ip}:${a.email}`]) expect(await runDurableObjectAlarm(env.THROTTLE.getByName(key))).toBe(true);
    expectStatus(await login(a.email, a.password, ip), 200);
    for (let i = 0; i < 5; i++) expectStatus(await login(a.email, WRONG, ip), 401);
    expectStatus(await login(a.email, a.password, ip), 429);
  });

  it("P12: unknown accounts are throttled the same way (no enumeration through the throttle)", async () => {
    const ip = nextIp();
    const ghost = uniqueEmail("ghost");
    for (let i = 0; i < 5; i++) expectStatus(await login(ghost, WRONG, ip), 401);
    expectStatus(await login(ghost, WRONG, ip), 429);
  });
});
