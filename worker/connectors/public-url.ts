/**
 * Names that never resolve to a public server: loopback, link-local, LAN and reserved suffixes
 * (RFC 6761/6762/8375 and common private zones). `.test` is among them: real stores never use it,
 * and in local mode these checks are skipped because every provider URL goes to the sandbox.
 */
const PRIVATE_SUFFIXES = [".localhost", ".local", ".internal", ".intranet", ".lan", ".home", ".corp", ".home.arpa", ".test", ".invalid", ".example", ".onion", ".arpa"];

/**
 * Why the Worker must not call this URL on a user's behalf, or null when it may: https on the
 * standard port, no credentials, a public domain name. The WHATWG parser has already turned every
 * IPv4 notation (decimal 2130706433, hex 0x7f.1, octal) into dotted form and IPv6 into brackets,
 * so refusing those two forms refuses every IP literal, mapped IPv6 included.
 */
export function publicUrlProblem(u: URL): string | null {
  if (u.protocol !== "https:") return "must use https://";
  if (u.username || u.password) return "must not contain a user name or password";
  const host = u.hostname.toLowerCase();
  if (host.startsWith("[") || /^\d+(\.\d+){3}$/.test(host)) return "must be a domain name, not an IP address";
  // "localhost." is localhost: a trailing dot would slip past every suffix check below.
  if (host.endsWith(".")) return "must not end with a dot";
  if (!host.includes(".") || PRIVATE_SUFFIXES.some((s) => host.endsWith(s))) return "must be a public domain";
  if (u.port && u.port !== "443") return "must use the standard https port";
  return null;
}
