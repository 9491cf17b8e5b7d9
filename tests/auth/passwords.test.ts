import { afterEach, describe, expect, it, vi } from "vitest";
import bcrypt from "bcryptjs";
import { call, env, expectStatus, uniqueEmail } from "../support/harness";
import { cookieHeader, expectTokenAccepted, expectTokenRejected, linkToken, login, loginOk, mailTo, nextIp, refresh, refreshCookieOf, signupAccount, waitForMail } from "./helpers";

const NEW_PASSWORD = "a brand new passphrase 2026";
const isReset = (m: { subject: string }) => m.subject === "Reset your QWEB password";

async function requestReset(email: string, ip = nextIp()) {
  const res = await call("POST", "/api/auth/password-reset/request", { body: { email }, ip });
  expectStatus(res, 202);
  expect(res.text).toBe("");
}

async function resetToken(email: string) {
  await requestReset(email);
  const [mail] = await waitForMail(email, isReset);
  return linkToken(mail!, "/reset-password");
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("passwords: happy path", () => {
  it("changes the password: new tokens for this device, the old password stops working, an email says so", async () => {
    const a = await signupAccount();
    const res = await call("POST", "/api/auth/password", { token: a.token, body: { currentPassword: a.password, newPassword: NEW_PASSWORD } });
    expectStatus(res, 200);
    expect(Object.keys(res.json)).toEqual(["accessToken"]);
    await expectTokenAccepted(res.json.accessToken);
    expectStatus(await refresh(refreshCookieOf(res.headers)!), 200);
    expectStatus(await login(a.email, a.password, nextIp()), 401);
    expectStatus(await login(a.email, NEW_PASSWORD, nextIp()), 200);
    const [mail] = await waitForMail(a.email, (m) => m.subject === "Your QWEB password was changed");
    expect(mail!.text).not.toContain(NEW_PASSWORD);
  });

  it("resets a forgotten password through the emailed single-use link", async () => {
    const a = await signupAccount();
    const token = await resetToken(a.email);
    const [mail] = (await mailTo(a.email)).filter(isReset);
    expect(mail!.text).toContain(`${env.APP_URL}/reset-password?token=`);
    const res = await call("POST", "/api/auth/password-reset/confirm", { body: { token, password: NEW_PASSWORD } });
    expectStatus(res, 204);
    expectStatus(await login(a.email, NEW_PASSWORD, nextIp()), 200);
    expectStatus(await login(a.email, a.password, nextIp()), 401);
  });

  it("confirming a reset clears the refresh cookie of the browser that did it", async () => {
    const a = await signupAccount();
    const token = await resetToken(a.email);
    const res = await call("POST", "/api/auth/password-reset/confirm", { body: { token, password: NEW_PASSWORD }, headers: cookieHeader(a.cookie) });
    expectStatus(res, 204);
    expect(res.headers.getSetCookie().join("\n")).toMatch(/qweb_refresh=;/);
  });
});

describe("passwords: errors", () => {
  it("rejects a wrong current password, a short new one and a reused one without changing anything", async () => {
    const a = await signupAccount();
    const wrong = await call("POST", "/api/auth/password", { token: a.token, body: { currentPassword: "wrong password!!", newPassword: NEW_PASSWORD } });
    expectStatus(wrong, 422);
    expect(wrong.json.error.details[0].path).toBe("currentPassword");
    const short = await call("POST", "/api/auth/password", { token: a.token, body: { currentPassword: a.password, newPassword: "short" } });
    expectStatus(short, 400);
    expect(short.json.error.code).toBe("VALIDATION_FAILED");
    const same = await call("POST", "/api/auth/password", { token: a.token, body: { currentPassword: a.password, newPassword: a.password } });
    expectStatus(same, 422);
    await expectTokenAccepted(a.token);
    expectStatus(await login(a.email, a.password, nextIp()), 200);
  });

  it("answers 4xx in the common shape for bad input on every password route, never 5xx", async () => {
    const a = await signupAccount();
    const cases: [string, unknown, string?][] = [
      ["/api/auth/password", { currentPassword: a.password }, a.token],
      ["/api/auth/password", { currentPassword: a.password, newPassword: "x".repeat(129) }, a.token],
      ["/api/auth/password", { currentPassword: a.password, newPassword: NEW_PASSWORD, extra: 1 }, a.token],
      ["/api/auth/password-reset/request", {}],
      ["/api/auth/password-reset/request", { email: "not-an-email" }],
      ["/api/auth/password-reset/confirm", { token: "x".repeat(43) }],
      ["/api/auth/password-reset/confirm", { token: "short", password: NEW_PASSWORD }],
      ["/api/auth/password-reset/confirm", { token: "x".repeat(43), password: "short" }],
    ];
    for (const [path, body, token] of cases) {
      const res = await call("POST", path, { body, token, ip: nextIp() });
      expectStatus(res, 400);
      expect(res.json.error.code).toBe("VALIDATION_FAILED");
      expect(res.json.error.requestId).toBeTruthy();
    }
    for (const path of ["/api/auth/password", "/api/auth/password-reset/request", "/api/auth/password-reset/confirm", "/api/auth/login", "/api/auth/signup"]) {
      const res = await call("POST", path, { token: a.token, rawBody: '{"email": ', headers: { "content-type": "application/json" }, ip: nextIp() });
      expectStatus(res, 400);
      expect(res.json.error.message).toBe("Malformed JSON in request body");
    }
    expectStatus(await call("POST", "/api/auth/password", { body: { currentPassword: a.password, newPassword: NEW_PASSWORD } }), 401);
  });

  it("refuses an unknown, used or expired reset token with 400", async () => {
    const a = await signupAccount();
    const unknown = await call("POST", "/api/auth/password-reset/confirm", { body: { token: "A".repeat(43), password: NEW_PASSWORD } });
    expectStatus(unknown, 400);
    expect(unknown.json.error.code).toBe("BAD_REQUEST");

    const token = await resetToken(a.email);
    expectStatus(await call("POST", "/api/auth/password-reset/confirm", { body: { token, password: NEW_PASSWORD } }), 204);
    expectStatus(await call("POST", "/api/auth/password-reset/confirm", { body: { token, password: "yet another passphrase" } }), 400);

    const b = await signupAccount();
    const late = await resetToken(b.email);
    vi.setSystemTime(Date.now() + 60 * 60_000 + 1_000);
    expectStatus(await call("POST", "/api/auth/password-reset/confirm", { body: { token: late, password: NEW_PASSWORD } }), 400);
    vi.useRealTimers();
    expectStatus(await login(b.email, b.password, nextIp()), 200);
  });
});

describe("passwords: security", () => {
  it("P11: a password change revokes every other session at once", async () => {
    const a = await signupAccount();
    const other = await loginOk(a.email, a.password);
    const res = await call("POST", "/api/auth/password", { token: a.token, body: { currentPassword: a.password, newPassword: NEW_PASSWORD } });
    expectStatus(res, 200);
    for (const s of [{ token: a.token, cookie: a.cookie }, other]) {
      await expectTokenRejected(s.token);
      expectStatus(await refresh(s.cookie), 401);
    }
    const sessions = await call("GET", "/api/auth/sessions", { token: res.json.accessToken });
    expect(sessions.json.sessions).toHaveLength(1);
    expect(sessions.json.sessions[0].current).toBe(true);
  });

  it("P11: a password reset revokes every session", async () => {
    const a = await signupAccount();
    const other = await loginOk(a.email, a.password);
    const token = await resetToken(a.email);
    expectStatus(await call("POST", "/api/auth/password-reset/confirm", { body: { token, password: NEW_PASSWORD } }), 204);
    for (const s of [{ token: a.token, cookie: a.cookie }, other]) {
      await expectTokenRejected(s.token);
      expectStatus(await refresh(s.cookie), 401);
    }
  });

  it("a reset request answers 202 the same way for unknown addresses and sends nothing", async () => {
    const ghost = uniqueEmail("ghost");
    await requestReset(ghost);
    const a = await signupAccount();
    await requestReset(a.email);
    await waitForMail(a.email, isReset);
    expect(await mailTo(ghost)).toEqual([]);
  });

  it("confirming one reset link invalidates the other outstanding ones", async () => {
    const a = await signupAccount();
    await requestReset(a.email);
    await requestReset(a.email);
    const links = (await waitForMail(a.email, isReset, 2)).map((m) => linkToken(m, "/reset-password"));
    expectStatus(await call("POST", "/api/auth/password-reset/confirm", { body: { token: links[0], password: NEW_PASSWORD } }), 204);
    expectStatus(await call("POST", "/api/auth/password-reset/confirm", { body: { token: links[1], password: "another passphrase!!" } }), 400);
  });

  it("reset requests are rate-limited per address and per IP (429 + Retry-After)", async () => {
    const a = await signupAccount();
    for (let i = 0; i < 3; i++) await requestReset(a.email);
    const limited = await call("POST", "/api/auth/password-reset/request", { body: { email: a.email }, ip: nextIp() });
    expectStatus(limited, 429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);

    const ip = nextIp();
    for (let i = 0; i < 20; i++) await requestReset(uniqueEmail("spray"), ip);
    expectStatus(await call("POST", "/api/auth/password-reset/request", { body: { email: uniqueEmail("spray") }, ip }), 429);
  });

  it("a stolen access token cannot brute-force the current password", async () => {
    const a = await signupAccount();
    for (let i = 0; i < 5; i++) {
      expectStatus(await call("POST", "/api/auth/password", { token: a.token, body: { currentPassword: `guess number ${i}!!`, newPassword: NEW_PASSWORD } }), 422);
    }
    const right = await call("POST", "/api/auth/password", { token: a.token, body: { currentPassword: a.password, newPassword: NEW_PASSWORD } });
    expectStatus(right, 429);
    expect(right.headers.get("retry-after")).toBeTruthy();
  });

  it("P01: no table and no log line ever holds a plaintext password; the stored hash verifies with bcrypt", async () => {
    const lines: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const first = "first plaintext passphrase P01";
    const second = "second plaintext passphrase P01";
    const third = "third plaintext passphrase P01";
    const wrong = "wrong plaintext passphrase P01";
    const a = await signupAccount({ password: first });
    expectStatus(await login(a.email, wrong, nextIp()), 401);
    const { token } = await loginOk(a.email, first);
    expectStatus(await call("POST", "/api/auth/password", { token, body: { currentPassword: wrong, newPassword: second } }), 422);
    expectStatus(await call("POST", "/api/auth/password", { token, body: { currentPassword: first, newPassword: second } }), 200);
    const resetWith = await resetToken(a.email);
    expectStatus(await call("POST", "/api/auth/password-reset/confirm", { body: { token: resetWith, password: third } }), 204);
    // A request that fails validation still must not echo or log the password.
    const rejected = await call("POST", "/api/auth/signup", { body: { email: "broken", password: first }, ip: nextIp() });
    expectStatus(rejected, 400);
    expect(rejected.text).not.toContain(first);
    await loginOk(a.email, third);

    const { results: tables } = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    ).all<{ name: string }>();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["users", "sessions", "refresh_tokens", "password_resets", "activity_log", "dev_mailbox"]));
    let dump = "";
    for (const { name } of tables) {
      const { results } = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
      dump += JSON.stringify(results);
    }
    dump += lines.join("\n");
    for (const plaintext of [first, second, third, wrong]) expect(dump).not.toContain(plaintext);

    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?").bind(a.userId).first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(/^\$2[aby]\$10\$/);
    expect(await bcrypt.compare(third, row!.password_hash)).toBe(true);
    expect(await bcrypt.compare(first, row!.password_hash)).toBe(false);
  });
});
