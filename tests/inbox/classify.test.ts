import { describe, expect, it } from "vitest";
import { call, connectGmail, conversations, deliver, env, expectStatus, ownerWithWorkspace, syncMailbox, thread, uniqueAddress } from "./support";
import { newTenant } from "../support/harness";
import { sandboxPrompts, useProvider } from "../ai/support";

const usage = async (key: string) =>
  (await env.DB.prepare("SELECT provider, model, agent, outcome, input_tokens AS inputTokens FROM ai_usage WHERE job_id = ?").bind(key).all<Record<string, any>>()).results;
const messageIdsOf = async (conversationId: string) =>
  (await env.DB.prepare("SELECT id FROM inbox_messages WHERE conversation_id = ? AND direction = 'in' ORDER BY date").bind(conversationId).all<{ id: string }>()).results.map((r) => r.id);
const classificationOf = async (messageId: string) => env.DB.prepare("SELECT category, source, reason, model, summary, priority FROM inbox_classifications WHERE message_id = ?").bind(messageId).first<Record<string, any>>();

describe("classification: happy path", () => {
  it("synced mail is classified (lead, client request, billing, newsletter, spam) with a summary; category, reason and model recorded on message and conversation; usage logged", async () => {
    const { t, ws } = await ownerWithWorkspace("Classify Co");
    const id = await connectGmail(t, ws.id, uniqueAddress("classify"));
    await syncMailbox(id);
    const list = (await conversations(t)).conversations;
    const bySubject = (re: RegExp) => list.filter((c) => re.test(c.subject));
    for (const c of bySubject(/^Quote request/)) expect(c).toMatchObject({ category: "lead", priority: "high", categoryModel: "local:qweb-local-1", categoryReason: expect.stringMatching(/^AI: /) });
    for (const c of bySubject(/^Invoice INV-/)) expect(c.category).toBe("billing");
    for (const c of bySubject(/^Marketing Weekly/)) expect(c.category).toBe("newsletter");
    for (const c of bySubject(/^You have been selected/)) expect(c.category).toBe("spam");
    for (const c of bySubject(/^Could you/)) expect(c.category).toBe("client_request");
    expect(list.every((c) => c.category && c.summary)).toBe(true);
    const lead = bySubject(/^Quote request/)[0]!;
    expect(lead.summary).toContain("quote");
    // Recorded on the message too, and logged as AI usage of the engine.
    const [msgId] = await messageIdsOf(lead.id);
    expect(await classificationOf(msgId!)).toMatchObject({ category: "lead", source: "ai", model: "local:qweb-local-1", reason: expect.any(String) });
    expect(await usage(`inbox-classify:${msgId}`)).toEqual([expect.objectContaining({ provider: "local", model: "qweb-local-1", agent: "inbox_classify", outcome: "ok" })]);
    // The category filter of the list.
    const leads = (await conversations(t, { category: "lead" })).conversations;
    expect(leads.map((c) => c.id).sort()).toEqual(bySubject(/^Quote request/).map((c) => c.id).sort());
  });

  it("a rule that sets the category decides before AI: no provider call, no usage, the rule's reason recorded", async () => {
    const { t, ws } = await ownerWithWorkspace("Rules Co");
    const rule = await call("POST", `/api/orgs/${t.orgId}/inbox/rules`, { token: t.token, body: { name: "Weekly newsletters are support", conditions: [{ field: "from", op: "domain", value: "marketingweekly.example" }], setCategory: "support" } });
    expectStatus(rule, 201);
    const id = await connectGmail(t, ws.id, uniqueAddress("rules"));
    await syncMailbox(id);
    const list = (await conversations(t)).conversations;
    const news = list.filter((c) => c.subject.startsWith("Marketing Weekly"));
    expect(news.length).toBeGreaterThan(0);
    for (const c of news) {
      expect(c).toMatchObject({ category: "support", categoryModel: `rule:${rule.json.id}`, categoryReason: expect.stringContaining('rule "Weekly newsletters are support" fired: from is at "marketingweekly.example"') });
      const [msgId] = await messageIdsOf(c.id);
      expect(await classificationOf(msgId!)).toMatchObject({ source: "rule", category: "support" });
      expect(await usage(`inbox-classify:${msgId}`)).toEqual([]);
      expect((await thread(t, c.id)).ruleRuns[0]).toMatchObject({ ruleId: rule.json.id, outcome: "category set to support" });
    }
    // Mail no rule decided still went to the AI.
    expect(list.find((c) => c.subject.startsWith("Quote request"))?.categoryModel).toBe("local:qweb-local-1");
  });

  it("reclassifying on demand answers the category, summary, reason and model", async () => {
    const { t, ws } = await ownerWithWorkspace("Again Co");
    const address = uniqueAddress("again");
    const id = await connectGmail(t, ws.id, address);
    await syncMailbox(id);
    await deliver(address, { from: "Nina Lead <nina@newclient.example>", subject: "Pricing for a new project", text: "Hi, we are interested in a new website. What is your pricing?" });
    await call("POST", `/api/inbox/mailboxes/${id}/sync`, { token: t.token });
    await syncMailbox(id);
    const conv = (await conversations(t)).conversations.find((c) => c.subject === "Pricing for a new project")!;
    const res = await call("POST", `/api/inbox/conversations/${conv.id}/classify`, { token: t.token });
    expectStatus(res, 200);
    expect(res.json).toMatchObject({ category: "lead", priority: "high", summary: expect.stringContaining("Nina"), model: "local:qweb-local-1", reason: expect.any(String) });
  });
});

describe("classification: P04", () => {
  it("P04: a provider gets only the thread being classified or answered, never another thread", async () => {
    const { t, ws } = await ownerWithWorkspace("Thread Only Co");
    await useProvider(t, "anthropic");
    const address = uniqueAddress("p04thread");
    const id = await connectGmail(t, ws.id, address);
    await syncMailbox(id);
    const tag = crypto.randomUUID().slice(0, 8);
    const a = { subject: `Alpha ${tag} question`, text: `Secret alpha detail ${tag}-A: could you update the homepage?`, from: `Ann Alpha <ann.${tag}@alpha.example>` };
    const b = { subject: `Beta ${tag} question`, text: `Private beta detail ${tag}-B: the invoice is overdue.`, from: `Bob Beta <bob.${tag}@beta.example>` };
    await deliver(address, a);
    await deliver(address, b);
    await call("POST", `/api/inbox/mailboxes/${id}/sync`, { token: t.token });
    await syncMailbox(id);
    const list = (await conversations(t)).conversations;
    const convA = list.find((c) => c.subject === a.subject)!;
    expect(convA.categoryModel).toMatch(/^anthropic:/);
    const draft = await call("POST", `/api/inbox/conversations/${convA.id}/ai-draft`, { token: t.token, body: {} });
    expectStatus(draft, 201);

    const prompts = (await sandboxPrompts("anthropic")).filter((p) => p.text.includes(tag));
    const withA = prompts.filter((p) => p.text.includes(`${tag}-A`));
    const withB = prompts.filter((p) => p.text.includes(`${tag}-B`));
    expect(withA.length).toBeGreaterThanOrEqual(2); // its classification and its draft
    expect(withB.length).toBeGreaterThanOrEqual(1);
    for (const p of withA) expect(p.text.includes(`${tag}-B`) || p.text.includes(`bob.${tag}`)).toBe(false);
    for (const p of withB) expect(p.text.includes(`${tag}-A`) || p.text.includes(`ann.${tag}`)).toBe(false);
    // Nor any of the mailbox's other (demo) threads: each prompt names one subject.
    const subjects = list.map((c) => c.subject);
    for (const p of prompts) expect(subjects.filter((s) => p.text.includes(`Subject: ${s}\n`))).toHaveLength(1);
  });

  it("P04: no AI on mail of a person who restricted processing or objected; nothing reaches the provider", async () => {
    const { t, ws } = await ownerWithWorkspace("Restricted Co");
    await useProvider(t, "anthropic");
    const address = uniqueAddress("p04restrict");
    const id = await connectGmail(t, ws.id, address);
    await syncMailbox(id);
    // Two correspondents who are QWEB users: one restricts processing, one objects.
    const restricted = await newTenant({ name: "Rita" });
    const objected = await newTenant({ name: "Otto" });
    expectStatus(await call("PUT", "/api/privacy/processing", { token: restricted.token, body: { restricted: true } }), 200);
    expectStatus(await call("PUT", "/api/privacy/processing", { token: objected.token, body: { objected: true } }), 200);
    const tag = crypto.randomUUID().slice(0, 8);
    await deliver(address, { from: `Rita <${restricted.email}>`, subject: `Restricted ${tag}`, text: `Could you send a quote? ${tag}-R` });
    await deliver(address, { from: `Otto <${objected.email}>`, subject: `Objected ${tag}`, text: `Our invoice question ${tag}-O` });
    await call("POST", `/api/inbox/mailboxes/${id}/sync`, { token: t.token });
    await syncMailbox(id);
    const list = (await conversations(t)).conversations;
    for (const subject of [`Restricted ${tag}`, `Objected ${tag}`]) {
      const c = list.find((x) => x.subject === subject)!;
      expect(c).toMatchObject({ category: null, categoryModel: null, categoryReason: expect.stringContaining("restricted or objected") });
      const draft = await call("POST", `/api/inbox/conversations/${c.id}/ai-draft`, { token: t.token, body: {} });
      expectStatus(draft, 422);
      expect(draft.json.error.message).toContain("no AI draft");
      const [msgId] = await messageIdsOf(c.id);
      expect(await usage(`inbox-classify:${msgId}`)).toEqual([]);
    }
    expect((await sandboxPrompts()).filter((p) => p.text.includes(tag))).toEqual([]);
  });

  it("P04: an organization that restricted processing gets no AI on any of its mail", async () => {
    const { t, ws } = await ownerWithWorkspace("Org Restricted Co");
    expectStatus(await call("PUT", `/api/privacy/orgs/${t.orgId}/processing`, { token: t.token, body: { restricted: true } }), 200);
    const id = await connectGmail(t, ws.id, uniqueAddress("p04org"));
    await syncMailbox(id);
    const list = (await conversations(t)).conversations;
    expect(list.length).toBeGreaterThan(0);
    for (const c of list) expect(c).toMatchObject({ category: null, categoryReason: expect.stringContaining("AI processing is off") });
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM ai_usage WHERE org_id = ? AND agent = 'inbox_classify'").bind(t.orgId).first<{ n: number }>();
    expect(n!.n).toBe(0);
  });
});

describe("classification: security", () => {
  it("another organization's conversation cannot be classified or drafted (404); bad input answers 400", async () => {
    const { t, ws } = await ownerWithWorkspace("Sec Co");
    const id = await connectGmail(t, ws.id, uniqueAddress("csec"));
    await syncMailbox(id);
    const conv = (await conversations(t)).conversations[0]!;
    const other = await newTenant();
    expectStatus(await call("POST", `/api/inbox/conversations/${conv.id}/classify`, { token: other.token }), 404);
    expectStatus(await call("POST", `/api/inbox/conversations/${conv.id}/ai-draft`, { token: other.token, body: {} }), 404);
    expectStatus(await call("POST", `/api/inbox/conversations/${conv.id}/ai-draft`, { token: t.token, body: { bogus: 1 } }), 400);
  });
});
