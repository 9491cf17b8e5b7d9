import { describe, expect, it } from "vitest";
import { call, expectStatus } from "../support/harness";
import { newOperator } from "./support";

const dsr = (receivedAt: unknown) => ({ email: "someone@example.test", kind: "access", details: "Emailed to privacy@", receivedAt });
const incident = (detectedAt: unknown, authorityNotifiedAt?: unknown) => ({
  title: "Leak",
  detectedAt,
  nature: "n",
  dataCategories: ["names"],
  subjectCategories: ["users"],
  likelyConsequences: "c",
  measuresTaken: "m",
  ...(authorityNotifiedAt === undefined ? {} : { authorityNotifiedAt }),
});

describe("timestamp inputs are bounded by the schema (2000-01-01 .. 2100-01-01)", () => {
  it.each([Number.MAX_SAFE_INTEGER, 8.64e15 + 1, Date.UTC(2100, 0, 2), Date.UTC(1999, 11, 31), 1.5e12 + 0.5])("a DSR received at %d is refused with 400", async (receivedAt) => {
    const op = await newOperator();
    const res = await call("POST", "/api/operator/dsr", { token: op.token, body: dsr(receivedAt) });
    expectStatus(res, 400);
    expect(res.json.error).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(res.json.error.details[0].path).toBe("receivedAt");
  });

  it("a DSR within the range files and extends without a 500", async () => {
    const op = await newOperator();
    const filed = await call("POST", "/api/operator/dsr", { token: op.token, body: dsr(Date.UTC(2099, 11, 31)) });
    expectStatus(filed, 201);
    expectStatus(await call("PATCH", `/api/operator/dsr/${filed.json.request.id}`, { token: op.token, body: { extend: true } }), 200);
  });

  it("incident times are bounded the same way", async () => {
    const op = await newOperator();
    expectStatus(await call("POST", "/api/operator/incidents", { token: op.token, body: incident(Number.MAX_SAFE_INTEGER) }), 400);
    expectStatus(await call("POST", "/api/operator/incidents", { token: op.token, body: incident(Date.UTC(2027, 0, 1), 9e15) }), 400);
  });
});
