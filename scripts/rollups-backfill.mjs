// `npm run rollups:backfill -- <app url>`: rebuilds every integration's dashboard rollups from the
// synced rows (after a catalogue change, or to repair), a batch per request, as a platform operator.
// Credentials: QWEB_OPERATOR_EMAIL and QWEB_OPERATOR_PASSWORD (an account granted by operator:create).
const base = (process.argv[2] ?? process.env.QWEB_URL ?? "http://localhost:8787").replace(/\/$/, "");
const email = process.env.QWEB_OPERATOR_EMAIL;
const password = process.env.QWEB_OPERATOR_PASSWORD;
if (!email || !password) {
  console.error("Set QWEB_OPERATOR_EMAIL and QWEB_OPERATOR_PASSWORD (a platform operator's sign-in).");
  process.exit(2);
}

async function post(path, body, token) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${path}: ${res.status} ${json?.error?.message ?? ""}`);
  return json;
}

const { accessToken } = await post("/api/auth/login", { email, password });
let after;
let integrations = 0;
let rows = 0;
do {
  const r = await post("/api/metrics/rollups/rebuild", { limit: 50, ...(after ? { after } : {}) }, accessToken);
  integrations += r.integrations;
  rows += r.rows;
  console.log(`rebuilt ${integrations} integration(s), ${rows} rollup rows written`);
  after = r.next;
} while (after);
