import { describe, expect, it } from "vitest";
import { PASSWORD, call, env, expectStatus, uniqueEmail } from "../support/harness";

/** The date `years` before today (shifted by `days`), keeping month and day (29 Feb → 28 Feb). */
const isoDaysFrom = (years: number, days = 0) => {
  const d = new Date(Date.now() + days * 86_400_000);
  const y = d.getUTCFullYear() - years;
  const m = d.getUTCMonth() + 1;
  let day = d.getUTCDate();
  if (m === 2 && day === 29 && new Date(Date.UTC(y, 1, 29)).getUTCMonth() !== 1) day = 28;
  return `${y}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
};
const count = async (sql: string, ...args: unknown[]) => (await env.DB.prepare(sql).bind(...args).first<number>("n")) ?? 0;
let ipSeq = 0;

async function signup(birthDate: string) {
  const email = uniqueEmail("age");
  const organizationName = `Age check ${email}`;
  const res = await call("POST", "/api/auth/signup", {
    ip: `198.18.7.${++ipSeq}`,
    body: {
      email,
      password: PASSWORD,
      name: "Sam Young",
      organizationName,
      organizationKind: "business",
      birthDate,
      acceptPolicyVersion: (await call("GET", "/api/policy")).json.version,
    },
  });
  return { res, email: email.toLowerCase(), organizationName };
}

describe("age check: errors", () => {
  it("P23: a 15-year-old signup is refused with 422 and a clear message, and nothing is stored", async () => {
    const [users, orgs, memberships, sessions] = await Promise.all(
      ["users", "organizations", "memberships", "sessions"].map((t) => count(`SELECT count(*) AS n FROM ${t}`)),
    );
    // Turning 16 tomorrow: still 15 today.
    const { res, email, organizationName } = await signup(isoDaysFrom(16, 1));
    expectStatus(res, 422);
    expect(res.json.error.code).toBe("UNPROCESSABLE");
    expect(res.json.error.message).toMatch(/at least 16/);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(res.json.accessToken).toBeUndefined();
    expect(await count("SELECT count(*) AS n FROM users WHERE email = ?", email)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM organizations WHERE name = ?", organizationName)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM users")).toBe(users);
    expect(await count("SELECT count(*) AS n FROM organizations")).toBe(orgs);
    expect(await count("SELECT count(*) AS n FROM memberships")).toBe(memberships);
    expect(await count("SELECT count(*) AS n FROM sessions")).toBe(sessions);
  });

  it("P23: a birth date in the future or absurdly old is refused with 422", async () => {
    expectStatus((await signup(isoDaysFrom(-1))).res, 422);
    expectStatus((await signup("1850-01-01")).res, 422);
  });
});

describe("age check: happy path", () => {
  it("P23: someone turning 16 today can sign up", async () => {
    const { res, email } = await signup(isoDaysFrom(16));
    expectStatus(res, 201);
    expect(res.json.user.email).toBe(email);
  });
});
