import { describe, expect, it } from "vitest";
import { call, connectGmail, conversations, env, expectStatus, ownerWithWorkspace, sandboxMailbox, syncMailbox, thread, uniqueAddress } from "./support";
import { inviteAndAccept, newTenant } from "../support/harness";
import { settle } from "../actions/support";

async function withLead(tag: string, name = "Draft Bakery") {
  const { t, ws } = await ownerWithWorkspace(name);
  const address = uniqueAddress(tag);
  const id = await connectGmail(t, ws.id, address);
  await syncMailbox(id);
  const list = (await conversations(t)).conversations;
  const lead = list.find((c) => c.category === "lead")!;
  const request = list.find((c) => c.category === "client_request")!;
  expect(lead).toBeTruthy();
  return { t, ws, address, id, lead, request };
}

describe("AI drafts: happy path", () => {
  it("drafts a reply in the brand voice with the thread as context, saved to Gmail's drafts; edited and sent, the edited text is what goes out", async () => {
    const { t, ws, address, lead } = await withLead("aidraft");
    const voice = await call("PUT", `/api/workspaces/${ws.id}/ai/brand-voice`, { token: t.token, body: { tone: "cheerful", wordsToUse: ["handmade"], wordsToAvoid: [], audience: "locals", goals: "more orders", examples: [], colors: ["#112233", "#445566"] } });
    expectStatus(voice, 200);
    const th = await thread(t, lead.id);
    const sender = th.messages.find((m) => m.direction === "in")!.from;

    const res = await call("POST", `/api/inbox/conversations/${lead.id}/ai-draft`, { token: t.token, body: {} });
    expectStatus(res, 201);
    expect(res.json).toMatchObject({ model: "local:qweb-local-1", providerDraftId: expect.any(String) });
    expect(res.json.body).toContain(`Hi ${sender.name.split(" ")[0]}`);
    expect(res.json.body).toContain("Handmade");
    expect(res.json.body).toContain("Draft Bakery");
    expect(res.json.body).toContain(lead.subject);
    // In Gmail's drafts, threaded on the conversation, and in the thread view for editing.
    const box = await sandboxMailbox(address);
    const gDraft = box.drafts.find((d) => d.id === res.json.providerDraftId)!;
    expect(gDraft).toBeTruthy();
    expect(box.messages.find((m) => m.id === gDraft.messageId)).toMatchObject({ labelIds: ["DRAFT"], subject: `Re: ${lead.subject}` });
    expect((await thread(t, lead.id)).drafts).toEqual([expect.objectContaining({ id: res.json.id, body: res.json.body })]);
    // Logged as AI usage of the engine.
    const usage = await env.DB.prepare("SELECT agent, provider, outcome FROM ai_usage WHERE org_id = ? AND agent = 'inbox_draft'").bind(t.orgId).all();
    expect(usage.results).toEqual([{ agent: "inbox_draft", provider: "local", outcome: "ok" }]);

    // Regenerating replaces the same draft (no second draft piles up).
    const again = await call("POST", `/api/inbox/conversations/${lead.id}/ai-draft`, { token: t.token, body: { draftId: res.json.id, instructions: "Offer a call" } });
    expectStatus(again, 201);
    expect(again.json.id).toBe(res.json.id);
    expect((await thread(t, lead.id)).drafts).toHaveLength(1);

    // The user edits it, then sends it.
    const edited = `${again.json.body}\n\nP.S. We can start next week.`;
    expectStatus(await call("POST", `/api/inbox/conversations/${lead.id}/drafts`, { token: t.token, body: { body: edited, draftId: res.json.id } }), 201);
    const sent = await call("POST", `/api/inbox/conversations/${lead.id}/reply`, { token: t.token, body: { draftId: res.json.id } });
    expectStatus(sent, 200);
    const out = (await sandboxMailbox(address)).messages.find((m) => m.id === sent.json.providerMessageId)!;
    expect(out).toMatchObject({ labelIds: ["SENT"], to: expect.stringContaining(sender.address) });
    const after = await thread(t, lead.id);
    expect(after.messages.at(-1)).toMatchObject({ direction: "out", text: expect.stringContaining("We can start next week.") });
    expect(after.conversation.firstResponseAt).toEqual(expect.any(Number));
  });
});

describe("AI drafts: sending through the approval path", () => {
  it("a workspace that requires approval for replies to clients gets a send_reply action; it is sent only once approved; other replies go out on autopilot", async () => {
    const { t, ws, address, lead, request } = await withLead("approval", "Approval Co");
    expect(request).toBeTruthy();
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/actions/settings/send_reply`, { token: t.token, body: { autopilot: true, limits: { clientRepliesNeedApproval: 1 } } }), 200);
    const sentBefore = (await sandboxMailbox(address)).messages.filter((m) => m.labelIds.includes("SENT")).length;

    // A reply to a client: proposed, waiting for a person.
    const proposed = await call("POST", `/api/inbox/conversations/${request.id}/reply`, { token: t.token, body: { body: "Done — the banner is updated." } });
    expectStatus(proposed, 202);
    expect(proposed.json).toMatchObject({ sent: false, action: { state: "proposed", waitReason: "Replies to clients wait for a person in this workspace" } });
    expect((await sandboxMailbox(address)).messages.filter((m) => m.labelIds.includes("SENT")).length).toBe(sentBefore);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/actions/${proposed.json.action.id}/approve`, { token: t.token, body: {} }), 200);
    const done = await settle(t.token, ws.id, proposed.json.action.id);
    expect(done).toMatchObject({ state: "done", kind: "send_reply", providerResult: { providerMessageId: expect.any(String) } });
    const box = await sandboxMailbox(address);
    expect(box.messages.find((m) => m.id === done.providerResult.providerMessageId)).toMatchObject({ labelIds: ["SENT"] });

    // A reply to a lead: inside the guardrail, autopilot sends it.
    const auto = await call("POST", `/api/inbox/conversations/${lead.id}/reply`, { token: t.token, body: { body: "Thanks — a quote follows today." } });
    expectStatus(auto, 202);
    const autoDone = await settle(t.token, ws.id, auto.json.action.id);
    expect(autoDone).toMatchObject({ state: "done", approvedAs: expect.any(String) });
    expect((await sandboxMailbox(address)).messages.filter((m) => m.labelIds.includes("SENT")).length).toBe(sentBefore + 2);
  });
});

describe("AI drafts: errors and security", () => {
  it("another organization gets 404, a viewer 403, an unknown draft 404, bad input 400", async () => {
    const { t, ws, lead } = await withLead("draftsec", "Sec Bakery");
    const other = await newTenant();
    expectStatus(await call("POST", `/api/inbox/conversations/${lead.id}/ai-draft`, { token: other.token, body: {} }), 404);
    const viewer = await inviteAndAccept(t, { workspaceId: ws.id }, "viewer");
    expectStatus(await call("POST", `/api/inbox/conversations/${lead.id}/ai-draft`, { token: viewer.token, body: {} }), 403);
    expectStatus(await call("POST", `/api/inbox/conversations/${lead.id}/ai-draft`, { token: t.token, body: { draftId: "missing" } }), 404);
    expectStatus(await call("POST", `/api/inbox/conversations/${lead.id}/ai-draft`, { token: t.token, body: { instructions: "x".repeat(2000) } }), 400);
  });
});
