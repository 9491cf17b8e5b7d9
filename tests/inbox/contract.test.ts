import { describe, expect, it } from "vitest";
import { contractChecker } from "../api/contract-support";
import { connectGmail, expectStatus, ownerWithWorkspace, syncMailbox, uniqueAddress } from "./support";

describe("contract: inbox responses match their documented schemas", () => {
  it("mailboxes, conversations, thread, triage, notes, drafts, reply and disconnect", async () => {
    const api = await contractChecker();
    const { t, ws } = await ownerWithWorkspace();
    const auth = { token: t.token };
    expectStatus(await api.call("POST", `/api/workspaces/${ws.id}/inbox/mailboxes/gmail/connect`, { ...auth, body: {} }), 200);
    expectStatus(await api.call("POST", `/api/workspaces/${ws.id}/inbox/mailboxes/outlook/connect`, { ...auth, body: {} }), 200);
    expectStatus(await api.call("POST", `/api/workspaces/${ws.id}/inbox/mailboxes/icloud/connect`, { ...auth, body: { address: uniqueAddress("contract-ic"), appPassword: "abcd-efgh-ijkl-mnop" } }), 201);
    const id = await connectGmail(t, ws.id, uniqueAddress("contract"));
    await syncMailbox(id);
    expectStatus(await api.call("GET", `/api/workspaces/${ws.id}/inbox/mailboxes`, auth), 200);
    expectStatus(await api.call("GET", `/api/orgs/${t.orgId}/inbox/mailboxes`, auth), 200);
    expectStatus(await api.call("GET", `/api/inbox/mailboxes/${id}`, auth), 200);
    const list = await api.call("GET", `/api/orgs/${t.orgId}/inbox/conversations`, auth);
    expectStatus(list, 200);
    const conv = (list.json.conversations as { id: string; subject: string; messageCount: number }[]).find((c) => c.subject.startsWith("Could you"))!;
    expect(conv).toBeTruthy();
    const th = await api.call("GET", `/api/inbox/conversations/${conv.id}`, auth);
    expectStatus(th, 200);
    expectStatus(await api.call("PATCH", `/api/inbox/conversations/${conv.id}`, { ...auth, body: { assigneeId: t.userId, labels: ["client"] } }), 200);
    expectStatus(await api.call("POST", `/api/inbox/conversations/${conv.id}/read`, auth), 204);
    expectStatus(await api.call("POST", `/api/inbox/conversations/${conv.id}/notes`, { ...auth, body: { body: "note" } }), 201);
    expectStatus(await api.call("POST", `/api/inbox/conversations/${conv.id}/images`, { ...auth, body: { sender: th.json.messages[0].from.address } }), 204);
    const draft = await api.call("POST", `/api/inbox/conversations/${conv.id}/drafts`, { ...auth, body: { body: "Draft" } });
    expectStatus(draft, 201);
    expectStatus(await api.call("POST", `/api/inbox/conversations/${conv.id}/reply`, { ...auth, body: { draftId: draft.json.id } }), 200);
    expectStatus(await api.call("POST", `/api/inbox/conversations/${conv.id}/reply`, { ...auth, body: {} }), 400);
    expectStatus(await api.call("GET", `/api/inbox/conversations/${conv.id}`, auth), 200);
    expectStatus(await api.call("POST", `/api/inbox/mailboxes/${id}/sync`, auth), 202);
    expectStatus(await api.call("DELETE", `/api/inbox/mailboxes/${id}`, auth), 204);
    expectStatus(await api.call("GET", `/api/inbox/mailboxes/${id}`, auth), 404);
  });
});
