// The publishing routes answer what /api/openapi.json documents (success and error bodies).
import { describe, expect, it } from "vitest";
import { contractChecker } from "../api/contract-support";
import { expectStatus, JPEG, PNG, textOf, withMeta } from "./support";

describe("publishing: contract", () => {
  it("every publishing route's answers match their documented schemas", async () => {
    const s = await withMeta("contract");
    const api = await contractChecker();
    const auth = { token: s.t.token };
    expectStatus(await api.call("GET", `${s.base}/channels`, auth), 200);
    const form = new FormData();
    form.set("file", new File([JPEG], "a.jpg", { type: "image/jpeg" }));
    const up = await api.call("POST", `${s.base}/media`, { ...auth, rawBody: form });
    expectStatus(up, 201);
    const bad = new FormData();
    bad.set("file", new File([new TextEncoder().encode("hello")], "a.jpg"));
    expectStatus(await api.call("POST", `${s.base}/media`, { ...auth, rawBody: bad }), 415);
    expectStatus(await api.call("GET", `${s.base}/media`, auth), 200);
    const text = textOf("contract");
    const created = await api.call("POST", `${s.base}/posts`, { ...auth, body: { variants: [{ accountId: s.pageId, text, firstComment: "hi" }, { accountId: s.igId, text, mediaIds: [up.json.id] }] } });
    expectStatus(created, 201);
    const id = created.json.post.id;
    expectStatus(await api.call("POST", `${s.base}/posts`, { ...auth, body: { variants: [{ accountId: s.igId, text }] } }), 400);
    expectStatus(await api.call("GET", `${s.base}/posts/${id}`, auth), 200);
    expectStatus(await api.call("PUT", `${s.base}/posts/${id}`, { ...auth, body: { variants: [{ accountId: s.pageId, text }] } }), 200);
    expectStatus(await api.call("POST", `${s.base}/posts/${id}/schedule`, { ...auth, body: { scheduledFor: Date.now() } }), 200);
    expectStatus(await api.call("POST", `${s.base}/run-due`, auth), 200);
    expectStatus(await api.call("GET", `${s.base}/posts?list=published`, auth), 200);
    expectStatus(await api.call("GET", `${s.base}/posts?list=stuck`, auth), 200);
    expectStatus(await api.call("GET", `${s.base}/calendar?from=2026-12-01&to=2026-12-31`, auth), 200);
    expectStatus(await api.call("POST", `${s.base}/posts/${id}/cancel`, auth), 409);
    expectStatus(await api.call("DELETE", `${s.base}/posts/${id}`, auth), 409);
    const draft = await api.call("POST", `${s.base}/posts`, { ...auth, body: { variants: [{ accountId: s.pageId, text: textOf("draft") }], scheduledFor: Date.now() + 86_400_000 } });
    expectStatus(await api.call("POST", `${s.base}/posts/${draft.json.post.id}/cancel`, auth), 200);
    expectStatus(await api.call("POST", `${s.base}/posts/${draft.json.post.id}/retry`, auth), 409);
    expectStatus(await api.call("DELETE", `${s.base}/posts/${draft.json.post.id}`, auth), 204);
    const png = new FormData();
    png.set("file", new File([PNG], "b.png"));
    const p = await api.call("POST", `${s.base}/media`, { ...auth, rawBody: png });
    expectStatus(await api.call("DELETE", `${s.base}/media/${p.json.id}`, auth), 204);
    expectStatus(await api.call("POST", `${s.base}/posts/from-content`, { ...auth, body: { contentId: "missing", accountIds: [s.pageId] } }), 404);
    expect(api.checked.size).toBeGreaterThan(12);
  }, 120_000);
});
