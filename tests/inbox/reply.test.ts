import { describe, expect, it } from "vitest";
import { call, connectGmail, conversations, env, expectStatus, injectFaults, ownerWithWorkspace, sandboxMailbox, syncMailbox, thread, uniqueAddress } from "./support";

async function setup(tag: string) {
  const { t, ws } = await ownerWithWorkspace();
  const address = uniqueAddress(tag);
  const id = await connectGmail(t, ws.id, address);
  await syncMailbox(id);
  const conv = (await conversations(t)).conversations.find((c) => c.messageCount === 2 && c.subject.startsWith("Could you"))!;
  expect(conv).toBeTruthy();
  return { t, ws, address, id, conv };
}

describe("drafts and replies through Gmail", () => {
  it("a draft is saved to Gmail's drafts threaded on the conversation; sending it delivers a threaded reply the sandbox sees", async () => {
    const { t, address, conv } = await setup("reply");
    const th = await thread(t, conv.id);
    const last = th.messages.at(-1)!;
    const threadKey = (await env.DB.prepare("SELECT thread_key AS k FROM conversations WHERE id = ?").bind(conv.id).first<{ k: string }>())!.k;

    const draft = await call("POST", `/api/inbox/conversations/${conv.id}/drafts`, { token: t.token, body: { body: "Thanks, we are on it — done by Friday." } });
    expectStatus(draft, 201);
    let box = await sandboxMailbox(address);
    const gDraft = box.drafts.find((d) => d.id === draft.json.providerDraftId)!;
    expect(gDraft).toBeTruthy();
    const draftMsg = box.messages.find((m) => m.id === gDraft.messageId)!;
    expect(draftMsg).toMatchObject({ threadId: threadKey, labelIds: ["DRAFT"], subject: `Re: ${conv.subject}`, inReplyTo: last.messageId });
    expect((await thread(t, conv.id)).drafts).toEqual([expect.objectContaining({ id: draft.json.id, body: "Thanks, we are on it — done by Friday." })]);

    const sent = await call("POST", `/api/inbox/conversations/${conv.id}/reply`, { token: t.token, body: { draftId: draft.json.id } });
    expectStatus(sent, 200);
    box = await sandboxMailbox(address);
    const out = box.messages.find((m) => m.id === sent.json.providerMessageId)!;
    expect(out).toMatchObject({ threadId: threadKey, labelIds: ["SENT"], subject: `Re: ${conv.subject}`, inReplyTo: last.messageId, to: expect.stringContaining(last.from.address) });
    expect(out.references).toContain(th.messages[0]!.messageId);
    expect(out.references).toContain(last.messageId);
    expect(box.drafts.find((d) => d.id === gDraft.id)).toBeUndefined();

    // The conversation shows the reply at once: answered, first response recorded.
    const after = await thread(t, conv.id);
    expect(after.messages.at(-1)).toMatchObject({ direction: "out", text: expect.stringContaining("done by Friday") });
    expect(after.conversation).toMatchObject({ waitingSince: null, firstResponseAt: expect.any(Number) });
    expect(after.drafts).toEqual([]);
    // Sending the same draft again is refused, nothing is sent twice.
    expectStatus(await call("POST", `/api/inbox/conversations/${conv.id}/reply`, { token: t.token, body: { draftId: draft.json.id } }), 409);
    expect((await sandboxMailbox(address)).messages.filter((m) => m.labelIds.includes("SENT"))).toHaveLength(1);
  });

  it("reply with a text writes the draft and sends it in one step; Gmail's outage keeps the draft and answers 502", async () => {
    const { t, address, conv } = await setup("reply2");
    await injectFaults({ provider: "gmail", kind: "500", match: "/drafts/send", count: 5 });
    const failed = await call("POST", `/api/inbox/conversations/${conv.id}/reply`, { token: t.token, body: { body: "First try" } });
    expectStatus(failed, 502);
    expect(failed.json.error.code).toBe("BAD_GATEWAY");
    const kept = (await thread(t, conv.id)).drafts;
    expect(kept).toHaveLength(1);
    await fetch(`${env.SANDBOX_URL}/_sandbox/faults?provider=gmail`, { method: "DELETE" }).then((r) => r.text());
    const ok = await call("POST", `/api/inbox/conversations/${conv.id}/reply`, { token: t.token, body: { draftId: kept[0]!.id } });
    expectStatus(ok, 200);
    expect((await sandboxMailbox(address)).messages.filter((m) => m.labelIds.includes("SENT")).map((m) => m.id)).toEqual([ok.json.providerMessageId]);
  });

  it("bad input answers 400 in the common error shape", async () => {
    const { t, conv } = await setup("reply3");
    for (const body of [{}, { body: "" }, { body: 5 }, { body: "x", extra: 1 }]) {
      const res = await call("POST", `/api/inbox/conversations/${conv.id}/reply`, { token: t.token, body });
      expectStatus(res, 400);
      expect(res.json.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
    expectStatus(await call("PATCH", `/api/inbox/conversations/${conv.id}`, { token: t.token, body: { status: "snoozed" } }), 400);
    expectStatus(await call("PATCH", `/api/inbox/conversations/${conv.id}`, { token: t.token, body: { assigneeId: "not-a-member" } }), 400);
    expectStatus(await call("GET", `/api/orgs/${t.orgId}/inbox/conversations?status=bogus`, { token: t.token }), 400);
  });
});
