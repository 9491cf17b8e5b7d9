import { describe, expect, it } from "vitest";
import { call, expectStatus, inviteAndAccept } from "../support/harness";
import { newAgency, ok } from "./support";

describe("finance: the client portal shows a client its invoices", () => {
  it("a portal viewer sees its workspace's issued invoices and their PDFs, never drafts or another client's", async () => {
    const a = await newAgency("Portal");
    const other = await ok("POST", "/api/workspaces", a.token, { orgId: a.orgId, name: "Other client" });
    const mk = (workspaceId: string, name: string) => ok("POST", a.fin("/invoices"), a.token, { workspaceId, billTo: { name, email: "c@client.test" }, lines: [{ description: name, quantity: 1, unitPriceMinor: 1_000 }] });
    const sent = await mk(a.workspaceId, "Issued");
    await ok("POST", a.fin(`/invoices/${sent.id}/send`), a.token, {}, 200);
    const draft = await mk(a.workspaceId, "Draft");
    const theirs = await mk(other.id, "Theirs");
    await ok("POST", a.fin(`/invoices/${theirs.id}/send`), a.token, {}, 200);
    const viewer = await inviteAndAccept(a, { workspaceId: a.workspaceId }, "viewer", "Vic Viewer");
    const list = await ok("GET", `/api/workspaces/${a.workspaceId}/finance/invoices`, viewer.token);
    expect(list.invoices.map((i: any) => i.number)).toEqual([sent.number]);
    const pdf = await call("GET", `/api/workspaces/${a.workspaceId}/finance/invoices/${sent.id}/pdf`, { token: viewer.token });
    expectStatus(pdf, 200);
    expect(pdf.text.startsWith("%PDF-")).toBe(true);
    expectStatus(await call("GET", `/api/workspaces/${a.workspaceId}/finance/invoices/${draft.id}/pdf`, { token: viewer.token }), 404);
    expectStatus(await call("GET", `/api/workspaces/${a.workspaceId}/finance/invoices/${theirs.id}/pdf`, { token: viewer.token }), 404);
    expectStatus(await call("GET", `/api/workspaces/${other.id}/finance/invoices`, { token: viewer.token }), 404);
    // The agency's own finance API stays closed to portal users.
    expectStatus(await call("GET", a.fin("/invoices"), { token: viewer.token }), 404);
  });
});
