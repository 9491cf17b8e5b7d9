/** Random, non-sequential ids for every row. */
export const newId = () => crypto.randomUUID();

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** An opaque secret token (refresh tokens, invitations, resets): 256 random bits. */
export function newToken(): string {
  return b64url(crypto.getRandomValues(new Uint8Array(32)));
}

export { b64url };
