// AI queue benchmark: 1,000 social-post jobs through the ai-jobs queue and the built-in local
// provider (no network), in a fresh workspace of the demo organization. Prints jobs/s from the
// first job's start to the last job's finish (and end to end from the first POST), and the per-job overhead beyond the provider's own time: the
// jobs' consumer time (startedAt → finishedAt) minus the provider time their usage rows record.
// Targets: under 10 ms of overhead per job, 1,000 jobs drained in under 60 s.
const JOBS = Number(process.env.BENCH_AI_JOBS ?? 1000);
const CONCURRENCY = 20;
const TIMEOUT_MS = 300_000;
const TARGET_OVERHEAD_MS = 10;
const TARGET_DRAIN_S = 60;

async function http(baseUrl, method, path, { token, body } = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

export default async function aiBench({ baseUrl, seeded }) {
  const { accessToken: token } = await http(baseUrl, "POST", "/api/auth/login", { body: { email: "owner@demo.qweb.test", password: seeded?.password ?? "qweb-demo-password" } });
  const orgId = seeded.orgId;
  // The bench measures the engine, not a provider: make sure the organization writes locally.
  await http(baseUrl, "PUT", `/api/orgs/${orgId}/ai/settings`, { token, body: { textProvider: "local", textModel: "qweb-local-1", imageProvider: "local", imageModel: "qweb-local-1", fallback: [], budgetMicros: null } });
  const ws = await http(baseUrl, "POST", "/api/workspaces", { token, body: { orgId, name: `AI bench ${Date.now().toString(36)}` } });

  const t0 = performance.now();
  let next = 0;
  const ids = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < JOBS) {
        const i = next++;
        const { jobId } = await http(baseUrl, "POST", `/api/workspaces/${ws.id}/ai/jobs`, { token, body: { kind: "social_post", input: { brief: `Bench post ${i}: the autumn menu`, networks: ["instagram", "x"], variants: 1 } } });
        ids.push(jobId);
      }
    }),
  );
  const enqueued = performance.now();
  let done = 0;
  for (;;) {
    const usage = await http(baseUrl, "GET", `/api/ai/usage?orgId=${orgId}&workspaceId=${ws.id}&by=provider`, { token });
    done = usage.rows.reduce((a, r) => a + r.calls, 0);
    if (done >= JOBS) break;
    if (performance.now() - t0 > TIMEOUT_MS) throw new Error(`only ${done} of ${JOBS} jobs finished in ${TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const drained = performance.now();

  // Consumer time per job from the jobs themselves (pages of 100, newest first).
  const spans = [];
  let firstStart = Infinity;
  let lastFinish = 0;
  let before;
  while (spans.length < JOBS) {
    const { jobs } = await http(baseUrl, "GET", `/api/workspaces/${ws.id}/ai/jobs?limit=100${before ? `&before=${before.createdAt}&beforeId=${before.id}` : ""}`, { token });
    if (!jobs.length) break;
    for (const j of jobs) {
      if (j.status !== "succeeded") continue;
      spans.push(j.finishedAt - j.startedAt);
      firstStart = Math.min(firstStart, j.startedAt);
      lastFinish = Math.max(lastFinish, j.finishedAt);
    }
    before = jobs[jobs.length - 1];
  }
  const usage = await http(baseUrl, "GET", `/api/ai/usage?orgId=${orgId}&workspaceId=${ws.id}&by=provider`, { token });
  const providerMs = usage.rows.reduce((a, r) => a + r.durationMs, 0);
  const consumerMs = spans.reduce((a, s) => a + s, 0);
  const overhead = (consumerMs - providerMs) / spans.length;
  const total = (drained - t0) / 1000;
  // The queue's own drain: first job started → last job finished (enqueueing overlaps it).
  const seconds = (lastFinish - firstStart) / 1000;

  console.log(`jobs                 ${JOBS} (local provider, social_post × 2 networks)`);
  console.log(`enqueue (POST 202)   ${((enqueued - t0) / 1000).toFixed(1)} s at ${CONCURRENCY} connections`);
  console.log(`drained              ${seconds.toFixed(1)} s first start → last finish → ${(JOBS / seconds).toFixed(1)} jobs/s   (target < ${TARGET_DRAIN_S} s)`);
  console.log(`end to end           ${total.toFixed(1)} s from the first POST to the last job done`);
  console.log(`consumer time / job  p50 ${pct(spans, 50)} ms, p95 ${pct(spans, 95)} ms (${spans.length} jobs)`);
  console.log(`provider time / job  ${(providerMs / spans.length).toFixed(2)} ms (from the usage rows)`);
  console.log(`overhead / job       ${overhead.toFixed(2)} ms beyond the provider   (target < ${TARGET_OVERHEAD_MS} ms)`);
  const misses = [];
  if (seconds >= TARGET_DRAIN_S) misses.push(`drain ${seconds.toFixed(1)} s ≥ ${TARGET_DRAIN_S} s`);
  if (overhead >= TARGET_OVERHEAD_MS) misses.push(`overhead ${overhead.toFixed(2)} ms ≥ ${TARGET_OVERHEAD_MS} ms`);
  console.log(misses.length ? `MISSED: ${misses.join("; ")}` : "both targets met");
}
