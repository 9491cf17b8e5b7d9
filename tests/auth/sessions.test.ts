import { afterEach, describe, expect, it, vi } from "vitest";
import { SignJWT } from "jose";
import { call, env, expectStatus } from "../support/harness";
import { cookieHeader, expectTokenAccepted, expectTokenRejected, loginOk, nextIp, refresh, refreshCookieOf, signupAccount } from "./helpers";

const b64url = (v: unknown) => btoa(JSON.stringify(v)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const secret = () => new TextEncoder().encode(env.JWT_SECRET);

async function craft(claims: { sub: string; sid: string }, opts: { aud?: string; iss?: string; iatOffset?: number; ttl?: number } = {}) {
  const iat = Math.floor(Date.now() / 1000) + (opts.iatOffset ?? 0);
  return new SignJWT({ sid: claims.sid })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(opts.iss ?? env.JWT_ISSUER)
    .setAudience(opts.aud ?? env.JWT_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (opts.ttl ?? 900))
    .sign(secret());
}

const claimsOf = (token: string) => JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { sub: string; sid: string };

afterEach(() => {
  vi.restoreAllMocks();
});

describe("sessions: happy path", () => {
  it("P11: refresh rotates the cookie and returns a working access token in the same session", async () => {
    const a = await signupAccount();
    const res = await refresh(a.cookie);
    expectStatus(res, 200);
    expect(Object.keys(res.json)).toEqual(["accessToken"]);
    const rotated = refreshCookieOf(res.headers)!;
    expect(rotated).toBeTruthy();
    expect(rotated).not.toBe(a.cookie);
    const setCookie = res.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/Secure/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\/api\/auth/);
    await expectTokenAccepted(res.json.accessToken);
    expect(claimsOf(res.json.accessToken).sid).toBe(claimsOf(a.token).sid);
    expectStatus(await refresh(rotated), 200);
  });

  it("lists live sessions with the current one flagged, and refresh updates lastUsedAt", async () => {
    const a = await signupAccount();
    const other = await loginOk(a.email, a.password);
    const before = await call("GET", "/api/auth/sessions", { token: a.token });
    expectStatus(before, 200);
    expect(before.json.sessions).toHaveLength(2);
    const mine = before.json.sessions.find((s: { current: boolean }) => s.current);
    expect(mine.id).toBe(claimsOf(a.token).sid);
    expect(Object.keys(mine).sort()).toEqual(["createdAt", "current", "device", "id", "ip", "lastUsedAt", "userAgent"]);
    expect(mine.ip).toBe(a.ip);

    await new Promise((r) => setTimeout(r, 5));
    expectStatus(await refresh(other.cookie), 200);
    const after = await call("GET", "/api/auth/sessions", { token: a.token });
    const otherAfter = after.json.sessions.find((s: { id: string }) => s.id === claimsOf(other.token).sid);
    expect(otherAfter.lastUsedAt).toBeGreaterThan(otherAfter.createdAt);

    expectStatus(await call("POST", "/api/auth/logout", { token: other.token }), 204);
    const final = await call("GET", "/api/auth/sessions", { token: a.token });
    expect(final.json.sessions.map((s: { id: string }) => s.id)).toEqual([claimsOf(a.token).sid]);
  });

  it("logout by cookie ends that session and clears the cookie", async () => {
    const a = await signupAccount();
    const res = await call("POST", "/api/auth/logout", { headers: cookieHeader(a.cookie) });
    expectStatus(res, 204);
    expect(res.headers.getSetCookie().join("\n")).toMatch(/qweb_refresh=;.*Max-Age=0/i);
    await expectTokenRejected(a.token);
    expectStatus(await refresh(a.cookie), 401);
  });

  it("PATCH /api/me renames the user", async () => {
    const a = await signupAccount();
    const res = await call("PATCH", "/api/me", { token: a.token, body: { name: "  Renée Renamed " } });
    expectStatus(res, 200);
    expect(res.json.user.name).toBe("Renée Renamed");
    expect(res.json.user).not.toHaveProperty("passwordHash");
    expect((await call("GET", "/api/me", { token: a.token })).json.user.name).toBe("Renée Renamed");
  });
});

describe("sessions: errors", () => {
  it("answers 401 in the common shape for a missing, unknown or malformed refresh cookie", async () => {
    for (const headers of [{}, cookieHeader("qweb_refresh=not-a-real-token"), cookieHeader("qweb_refresh="), cookieHeader("other=1")]) {
      const res = await call("POST", "/api/auth/refresh", { headers });
      expectStatus(res, 401);
      expect(res.json.error.code).toBe("UNAUTHORIZED");
      expect(res.json.error.requestId).toBeTruthy();
    }
  });

  it("logout without any credential is 401; logout-all and sessions need a bearer token", async () => {
    expectStatus(await call("POST", "/api/auth/logout"), 401);
    expectStatus(await call("POST", "/api/auth/logout-all"), 401);
    expectStatus(await call("GET", "/api/auth/sessions"), 401);
    expectStatus(await call("GET", "/api/auth/sessions", { token: "garbage" }), 401);
  });

  it("rejects bad PATCH /api/me bodies with 400 and never 5xx", async () => {
    const a = await signupAccount();
    for (const body of [{ name: "" }, { name: "x".repeat(200) }, { email: "x@y.z" }, { name: 42 }]) {
      const res = await call("PATCH", "/api/me", { token: a.token, body });
      expectStatus(res, 400);
      expect(res.json.error.code).toBe("VALIDATION_FAILED");
    }
    const malformed = await call("PATCH", "/api/me", { token: a.token, rawBody: "{nope", headers: { "content-type": "application/json" } });
    expectStatus(malformed, 400);
    expect(malformed.json.error.code).toBe("BAD_REQUEST");
  });
});

describe("sessions: security", () => {
  it("P11: expired, tampered, alg:none, wrong-audience and wrong-issuer tokens get 401", async () => {
    const a = await signupAccount();
    const claims = claimsOf(a.token);
    await expectTokenAccepted(await craft(claims));

    await expectTokenRejected(await craft(claims, { iatOffset: -20 * 60 }));
    await expectTokenRejected(await craft(claims, { aud: "someone-else" }));
    await expectTokenRejected(await craft(claims, { iss: "evil" }));

    const [h, p, s] = a.token.split(".");
    const forged = b64url({ ...claimsOf(a.token), sub: "someone-else" });
    await expectTokenRejected(`${h}.${forged}.${s}`);
    await expectTokenRejected(`${h}.${p}.${s!.slice(0, -2)}${s!.endsWith("AA") ? "BB" : "AA"}`);
    await expectTokenRejected(`${b64url({ alg: "none", typ: "JWT" })}.${p}.`);
    await expectTokenRejected(`${b64url({ alg: "none", typ: "JWT" })}.${p}`);

    const otherKey = new TextEncoder().encode("a-completely-different-secret-of-enough-length-42");
    const wrongKey = await new SignJWT({ sid: claims.sid }).setProtectedHeader({ alg: "HS256" }).setSubject(claims.sub)
      .setIssuer(env.JWT_ISSUER).setAudience(env.JWT_AUDIENCE).setIssuedAt().setExpirationTime("10m").sign(otherKey);
    await expectTokenRejected(wrongKey);
    await expectTokenAccepted(a.token);
  });

  it("P11: logout revokes the access token at once (no 15-minute tail)", async () => {
    const a = await signupAccount();
    expectStatus(await call("POST", "/api/auth/logout", { token: a.token }), 204);
    await expectTokenRejected(a.token);
    expectStatus(await refresh(a.cookie), 401);
  });

  it("P11: the reads whose one statement is the session check (/api/me, the workspace list) refuse a logged-out token at once", async () => {
    const a = await signupAccount();
    for (const path of ["/api/me", "/api/workspaces"]) expectStatus(await call("GET", path, { token: a.token }), 200);
    expectStatus(await call("POST", "/api/auth/logout", { token: a.token }), 204);
    for (const path of ["/api/me", "/api/workspaces"]) {
      const res = await call("GET", path, { token: a.token });
      expectStatus(res, 401);
      expect(res.json.error.code).toBe("UNAUTHORIZED");
    }
  });

  it("P11: logout-all revokes every session's access and refresh tokens", async () => {
    const a = await signupAccount();
    const b = await loginOk(a.email, a.password);
    const c = await loginOk(a.email, a.password);
    expectStatus(await call("POST", "/api/auth/logout-all", { token: b.token }), 204);
    for (const s of [{ token: a.token, cookie: a.cookie }, b, c]) {
      await expectTokenRejected(s.token);
      expectStatus(await refresh(s.cookie), 401);
    }
  });

  it("P11: reusing a rotated refresh token revokes the whole family, newest token included", async () => {
    const a = await signupAccount();
    const first = await refresh(a.cookie);
    expectStatus(first, 200);
    const newest = refreshCookieOf(first.headers)!;
    const second = await refresh(newest);
    expectStatus(second, 200);
    const newer = refreshCookieOf(second.headers)!;

    const replay = await refresh(a.cookie);
    expectStatus(replay, 401);
    expectStatus(await refresh(newer), 401);
    await expectTokenRejected(second.json.accessToken);
    await expectTokenRejected(a.token);

    // Another session of the same user is untouched.
    const elsewhere = await loginOk(a.email, a.password, nextIp());
    expectStatus(await refresh(elsewhere.cookie), 200);
  });

  it("P11: two concurrent refreshes with one token cannot both succeed", async () => {
    const a = await signupAccount();
    const results = await Promise.all([refresh(a.cookie), refresh(a.cookie)]);
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    for (const r of results) expect([200, 401]).toContain(r.status);
  });

  it("P11: an expired session cannot be refreshed", async () => {
    const a = await signupAccount();
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE user_id = ?").bind(Date.now() - 1, a.userId).run();
    expectStatus(await refresh(a.cookie), 401);
    await expectTokenRejected(a.token);
  });

  it("P11: a bearer token of one user cannot log out another user's session", async () => {
    const a = await signupAccount();
    const b = await signupAccount();
    const forged = await new SignJWT({ sid: claimsOf(b.token).sid }).setProtectedHeader({ alg: "HS256" }).setSubject(a.userId)
      .setIssuer(env.JWT_ISSUER).setAudience(env.JWT_AUDIENCE).setIssuedAt().setExpirationTime("10m")
      .sign(new TextEncoder().encode("not-the-server-secret-but-long-enough-0000000"));
    expectStatus(await call("POST", "/api/auth/logout", { token: forged }), 204);
    await expectTokenAccepted(b.token);
  });

  it("no log line carries an access token, a refresh token, a cookie or an Authorization header", async () => {
    const lines: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const a = await signupAccount();
    const rotated = await refresh(a.cookie);
    await refresh(a.cookie); // reuse: the family is revoked
    await refresh(refreshCookieOf(rotated.headers)!);
    await call("POST", "/api/auth/logout", { token: a.token, headers: cookieHeader(a.cookie) });
    await call("GET", "/api/auth/sessions", { token: a.token });
    await call("POST", "/api/auth/password", { token: rotated.json.accessToken, body: { currentPassword: a.password, newPassword: "x".repeat(20) } });
    const logged = lines.join("\n");
    for (const secret of [a.token, a.cookie, a.cookie.split("=")[1]!, rotated.json.accessToken, refreshCookieOf(rotated.headers)!]) {
      expect(logged).not.toContain(secret);
    }
    expect(logged).not.toMatch(/authorization|bearer|qweb_refresh/i);
  });
});
