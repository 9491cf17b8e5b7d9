import { SignJWT, jwtVerify, errors } from "jose";
import type { Config } from "../env";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ALGORITHMS = ["HS256"];

// Importing the HMAC key costs more than the signature check itself: import it once per secret
// and isolate (inside a handler: workerd refuses key operations at module top level).
const keys = new Map<string, Promise<CryptoKey>>();
const keyOf = (config: Config) => {
  let key = keys.get(config.JWT_SECRET);
  if (!key) {
    const raw = new TextEncoder().encode(config.JWT_SECRET);
    key = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(config.JWT_SECRET, key);
  }
  return key;
};

export type AccessClaims = { sub: string; sid: string };

export async function signAccessToken(config: Config, claims: AccessClaims, now = Date.now()) {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ sid: claims.sid })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(config.JWT_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .sign(await keyOf(config));
}

/** Verifies signature (HS256 only), iss, aud and exp; returns null for any invalid token. */
export async function verifyAccessToken(config: Config, token: string): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, await keyOf(config), {
      algorithms: ALGORITHMS,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      requiredClaims: ["sub", "exp", "iat"],
    });
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
    return { sub: payload.sub, sid: payload.sid };
  } catch (err) {
    if (err instanceof errors.JOSEError) return null;
    throw err;
  }
}
