// The operator scripts' shared start: the app URL (argv[2], QWEB_URL or the local default), a
// platform operator's sign-in from QWEB_OPERATOR_EMAIL / QWEB_OPERATOR_PASSWORD (an account granted
// by operator:create), and a JSON POST that fails loudly with the API's message.
export async function operatorClient() {
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
  return { base, post: (path, body) => post(path, body, accessToken) };
}
