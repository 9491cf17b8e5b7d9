import type { Ctx } from "../../core/context";
import { consume, forgive, resetKey, take } from "../../core/throttle";
import { MINUTE } from "../../lib/time";

/**
 * P12 ("Fail2ban"): failed logins are counted per account + source IP and per source IP.
 * Keying the account limit on the IP too means an attacker cannot lock the owner out from
 * elsewhere (ASVS 6.3.1: no malicious lockout); the much higher IP-wide limit stops one source
 * from stuffing credentials across many accounts.
 */
export const LOGIN_WINDOW_MS = 15 * MINUTE;
export const ACCOUNT_IP_FAILURES = 5;
export const IP_FAILURES = 50;

const accountKey = (email: string, ip: string) => `login:acct:${ip}:${email}`;
const ipKey = (ip: string) => `login:ip:${ip}`;

/**
 * Claims one attempt on both keys BEFORE the password is checked (atomically, so parallel
 * guesses cannot slip past the limit); throws 429 + Retry-After when either key is exhausted,
 * even if the password would have been right. The claim is given back on success.
 */
export async function claimLoginAttempt({ ctx: { env, now }, input: { email, ip } }: { ctx: Ctx; input: { email: string; ip: string } }) {
  const byIp = await consume(env, ipKey(ip), IP_FAILURES, LOGIN_WINDOW_MS, now);
  let byAccount;
  try {
    byAccount = await consume(env, accountKey(email, ip), ACCOUNT_IP_FAILURES, LOGIN_WINDOW_MS, now);
  } catch (err) {
    await forgive(env, ipKey(ip), byIp.eventId);
    throw err;
  }
  return {
    /** True when this failure is the one that locks the account out for this IP. */
    locksOut: byAccount.failures === ACCOUNT_IP_FAILURES,
    succeeded: () => Promise.all([forgive(env, ipKey(ip), byIp.eventId), resetKey(env, accountKey(email, ip))]),
  };
}

/** At most one lockout notice per account per window, however many IPs trigger one. */
export const claimLockoutNotice = async ({ ctx: { env, now }, input: { email } }: { ctx: Ctx; input: { email: string } }) =>
  (await take(env, `login:notice:${email}`, 1, LOGIN_WINDOW_MS, now)).allowed;
