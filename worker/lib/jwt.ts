import { SignJWT, jwtVerify, errors } from "jose";
import type { Config } from "../env";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ALGORITHMS = ["HS256"];

const keyOf = (config: Config) => new TextEncoder().encode(config.JWT_SECRET);

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
    .sign(keyOf(config));
}

/** Verifies signature (HS256 only), iss, aud and exp; returns null for any invalid token. */
export async function verifyAccessToken(config: Config, token: string): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, keyOf(config), {
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
