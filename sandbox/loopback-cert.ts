// A self-signed certificate for localhost / 127.0.0.1, made on this machine the first time it is
// needed, for the sandbox's STARTTLS SMTP server; the unit tests' workerd trusts it (vitest.config.ts).
// Nothing of it is committed: a private key in the repository would look like, and could be misused
// as, a real one. Node has no certificate builder, so the DER is assembled here (RFC 5280, ECDSA
// P-256 with SHA-256) and signed with node:crypto.
import { createHash, createPrivateKey, generateKeyPairSync, sign, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const seq = (...p: Buffer[]) => der(0x30, ...p);
function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const bytes = [a! * 40 + b!];
  for (const v of rest) {
    const chunk = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) chunk.unshift((x & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}
const utcTime = (d: Date) => der(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z"));
const name = seq(der(0x31, seq(oid("2.5.4.3"), der(0x0c, Buffer.from("localhost")))));

function makeCert(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const spki = publicKey.export({ type: "spki", format: "der" });
  const ecdsaSha256 = seq(oid("1.2.840.10045.4.3.2"));
  const now = Date.now();
  const serial = createHash("sha256").update(spki).digest().subarray(0, 8);
  serial[0]! &= 0x7f; // a positive INTEGER
  const extension = (id: string, value: Buffer, critical = false) =>
    seq(oid(id), ...(critical ? [der(0x01, Buffer.from([0xff]))] : []), der(0x04, value));
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))), // v3
    der(0x02, serial),
    ecdsaSha256,
    name,
    seq(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 10 * 365 * 86_400_000))),
    name,
    spki,
    der(0xa3, seq(
      extension("2.5.29.17", seq(der(0x82, Buffer.from("localhost")), der(0x87, Buffer.from([127, 0, 0, 1])))), // subjectAltName
      extension("2.5.29.19", seq(der(0x01, Buffer.from([0xff]))), true), // basicConstraints CA:TRUE (it is its own anchor)
    )),
  );
  const signature = sign("sha256", tbs, privateKey); // DER ECDSA-Sig-Value, as X.509 wants
  const certDer = seq(tbs, ecdsaSha256, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const cert = `-----BEGIN CERTIFICATE-----\n${certDer.toString("base64").match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`;
  return { key: privateKey.export({ type: "pkcs8", format: "pem" }) as string, cert };
}

/** The loopback certificate's files, made once per checkout in `<root>/.wrangler/sandbox-tls/` (never committed). */
export function loopbackCert(root: string): { keyPath: string; certPath: string; key: string; cert: string } {
  const dir = path.join(root, ".wrangler", "sandbox-tls");
  const keyPath = path.join(dir, "localhost.key");
  const certPath = path.join(dir, "localhost.crt");
  const usable = () => {
    if (!existsSync(certPath) || !existsSync(keyPath)) return false;
    const x = new X509Certificate(readFileSync(certPath));
    return Date.parse(x.validTo) > Date.now() + 86_400_000 && x.checkPrivateKey(createPrivateKey(readFileSync(keyPath)));
  };
  if (!usable()) {
    // Made aside and moved in whole, so a second process starting at the same time reads a complete pair.
    mkdirSync(path.dirname(dir), { recursive: true });
    const tmp = mkdtempSync(`${dir}-`);
    const made = makeCert();
    writeFileSync(path.join(tmp, "localhost.key"), made.key, { mode: 0o600 });
    writeFileSync(path.join(tmp, "localhost.crt"), made.cert);
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process moved its pair in first
    }
  }
  return { keyPath, certPath, key: readFileSync(keyPath, "utf8"), cert: readFileSync(certPath, "utf8") };
}
