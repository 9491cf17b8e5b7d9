// `npm run vault:rotate -- <app url>`: re-encrypts every integration credential and every agency
// Stripe secret (finance) to the vault's
// current key, one bounded batch per request, as a platform operator. Rotation:
//   1. add the new key to VAULT_KEYS and make it `current` (keep the old key in `keys`), deploy;
//   2. run this until it reports 0 remaining;  3. drop the old key from VAULT_KEYS, deploy.
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
let total = 0;
for (;;) {
  const r = await post("/api/operator/vault/rotate", { limit: 100 }, accessToken);
  total += r.rotated;
  console.log(`re-encrypted ${r.rotated} (total ${total}) to key "${r.currentKeyId}"; ${r.remaining} remaining`);
  if (r.remaining === 0 || r.rotated === 0) break;
}
