// `npm run operator:create -- --email ops@example.com [--name "Ops Person" --password … --birth-date YYYY-MM-DD] [--remote | --persist-to dir]`
//
// Grants the platform-operator role (DSR queue, incidents, purge reports, child-account erasure,
// policy publishing). It is never granted by signup or by any API: only by this command, run by
// someone with access to the database. An existing account is promoted; otherwise a standalone
// account (no customer organization) is created with the given name, password and birth date.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import bcrypt from "bcryptjs";

const root = path.resolve(import.meta.dirname, "..");
const wrangler = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");

function args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) continue;
    const key = a.slice(2);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith("--")) out[key] = true;
    else {
      out[key] = next;
      i++;
    }
  }
  return out;
}

const opts = args(process.argv.slice(2));
const fail = (msg) => {
  console.error(`create-operator: ${msg}`);
  process.exit(1);
};

const email = String(opts.email ?? "").trim().toLowerCase();
if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail("--email is required (the operator's sign-in email)");
const target = opts.remote ? ["--remote"] : ["--local", "--persist-to", String(opts["persist-to"] ?? path.join(root, ".wrangler", "state"))];
const lit = (v) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${String(v).replace(/'/g, "''")}'`);

function d1(sql) {
  const out = execFileSync(process.execPath, [wrangler, "d1", "execute", "DB", ...target, "--json", "--command", sql], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const parsed = JSON.parse(out.slice(out.indexOf("[")));
  return parsed[0]?.results ?? [];
}

const now = Date.now();
let [user] = d1(`SELECT id, name FROM users WHERE email = ${lit(email)}`);
if (!user) {
  const name = String(opts.name ?? "").trim();
  const password = String(opts.password ?? "");
  const birthDate = String(opts["birth-date"] ?? "");
  if (!name || password.length < 12 || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) {
    fail(`no account for ${email}: to create one pass --name, --password (12+ characters) and --birth-date YYYY-MM-DD`);
  }
  user = { id: randomUUID(), name };
  const hash = bcrypt.hashSync(password, 10);
  d1(
    `INSERT INTO users (id, email, name, password_hash, birth_date, created_at, updated_at) VALUES (${[user.id, email, name, hash, birthDate, now, now].map(lit).join(", ")})`,
  );
  console.log(`created the account ${email}`);
}
const [already] = d1(`SELECT id FROM operators WHERE user_id = ${lit(user.id)}`);
if (already) {
  console.log(`${email} is already a platform operator`);
} else {
  d1(`INSERT INTO operators (id, user_id, granted_by, created_at) VALUES (${[randomUUID(), user.id, `cli:${process.env.USER ?? "unknown"}`, now].map(lit).join(", ")})`);
  console.log(`${email} is now a platform operator (sign in, then open /operator)`);
}
