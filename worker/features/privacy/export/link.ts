import { SignJWT, errors, jwtVerify } from "jose";
import type { Config } from "../../../env";

/**
 * A download link for a finished export: a browser can follow it (native download, streamed to
 * disk) without sending the bearer token. Signed, bound to the user, the job and the session,
 * with its own audience so it is never accepted as an access token; valid 5 minutes.
 */
export const LINK_TTL_SECONDS = 5 * 60;
const key = (config: Config) => new TextEncoder().encode(config.JWT_SECRET);
const audience = (config: Config) => `${config.JWT_AUDIENCE}:export-download`;

export async function signDownloadLink(config: Config, claims: { userId: string; jobId: string; sessionId: string }, now = Date.now()) {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ job: claims.jobId, sid: claims.sessionId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.userId)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(audience(config))
    .setIssuedAt(iat)
    .setExpirationTime(iat + LINK_TTL_SECONDS)
    .sign(key(config));
}

export async function verifyDownloadLink(config: Config, token: string) {
  try {
    const { payload } = await jwtVerify(token, key(config), { algorithms: ["HS256"], issuer: config.JWT_ISSUER, audience: audience(config) });
    if (typeof payload.sub !== "string" || typeof payload.job !== "string" || typeof payload.sid !== "string") return null;
    return { userId: payload.sub, jobId: payload.job, sessionId: payload.sid };
  } catch (err) {
    if (err instanceof errors.JOSEError) return null;
    throw err;
  }
}
