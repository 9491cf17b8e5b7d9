import { describe, it } from "vitest";
import { call, contentCount, expect, expectStatus, KINDS, owner, PROVIDERS, sandboxPrompts, startJob, usageRows, useProvider, waitForJob } from "./support";

const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;

describe.each(PROVIDERS)("every kind through %s", (provider) => {
  it.each(KINDS)(`P05/P16: %s through ${provider} stores content with its prompt and context, and a usage row per call`, async (kind) => {
    const { t, ws } = await owner(`Bistro ${provider}`);
    await useProvider(t, provider);
    const before = provider === "local" ? 0 : (await sandboxPrompts(provider)).length;
    const jobId = await startJob(t, ws.id, kind, { variants: 1 });
    const job = await waitForJob(t, jobId);
    expect(job.status, job.error).toBe("succeeded");
    expect(job.contentIds).toHaveLength(1);
    expect(await contentCount(jobId)).toBe(1);

    const item = await call("GET", `/api/content/${job.contentIds[0]}`, { token: t.token });
    expectStatus(item, 200);
    const c = item.json.content;
    expect(c.kind).toBe(kind);
    expect(c.status).toBe("draft");
    expect(c.prompt).toContain("Our new autumn menu launches Friday");
    expect(c.context.workspace.name).toBe(`Bistro ${provider}`);
    expect(c.provider).toBe(provider);
    expect(Object.keys(c.body).length).toBeGreaterThan(0);

    const usage = await usageRows(jobId);
    expect(usage.length).toBe(kind === "image" ? 2 : 1);
    for (const u of usage) {
      expect(u.outcome).toBe("ok");
      expect(u.input_tokens).toBeGreaterThan(0);
      expect(u.currency).toBe("USD");
      if (u.provider !== "local") expect(u.cost_micros).toBeGreaterThan(0);
    }
    if (provider !== "local") expect((await sandboxPrompts(provider)).length).toBeGreaterThan(before);

    if (kind === "image") {
      const img = await fetchImage(t.token, c.id);
      expect(img.status).toBe(200);
      expect(isPng(img.bytes)).toBe(true);
    }
  });
});

async function fetchImage(token: string, id: string) {
  const { exports } = await import("cloudflare:workers");
  const res = await exports.default.fetch(new Request(`http://localhost:8787/api/content/${id}/image`, { headers: { authorization: `Bearer ${token}` } }));
  return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()) };
}

describe("local provider output", () => {
  it("social posts stay within each network's limit and name the brand; the image is served only to the workspace", async () => {
    const { t, ws } = await owner("Copper Kettle");
    const jobId = await startJob(t, ws.id, "social_post", { networks: ["x", "instagram", "linkedin"], variants: 2 });
    const job = await waitForJob(t, jobId);
    expect(job.status, job.error).toBe("succeeded");
    expect(job.contentIds).toHaveLength(2);
    const item = (await call("GET", `/api/content/${job.contentIds[0]}`, { token: t.token })).json.content;
    const posts = item.body.posts as { network: string; text: string }[];
    expect(posts.map((p) => p.network)).toEqual(["x", "instagram", "linkedin"]);
    expect(posts.find((p) => p.network === "x")!.text.length).toBeLessThanOrEqual(280);
    for (const p of posts) expect(p.text).toContain("Copper Kettle");
    expect(JSON.stringify(item.body)).not.toMatch(/lorem/i);
  });
});
