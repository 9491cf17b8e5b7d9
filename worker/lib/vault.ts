import { fromBase64, toBase64 } from "./hash";

/**
 * The credential vault (P03): AES-256-GCM through WebCrypto, a fresh random 96-bit IV per
 * encryption, and a versioned envelope `v1.<keyId>.<base64 iv>.<base64 ciphertext+tag>` so old
 * ciphertext stays readable after the current key changes. The AAD binds organization, record
 * and field: a ciphertext copied into another row or column does not decrypt.
 *
 * Keys come only from the VAULT_KEYS Worker secret: {"current":"k2","keys":{"k1":"<b64>","k2":"<b64>"}}.
 */
export type Keyring = { current: string; keys: Record<string, string> };
export type VaultAad = { orgId: string; recordId: string; field: string };

const VERSION = "v1";
const IV_BYTES = 12;
const enc = new TextEncoder();
const dec = new TextDecoder();

export class VaultError extends Error {
  override name = "VaultError";
}

export const aadOf = (a: VaultAad) => enc.encode(`${a.orgId}|${a.recordId}|${a.field}`);

export function parseKeyring(raw: string | undefined): Keyring {
  if (!raw) throw new VaultError("VAULT_KEYS is not configured");
  let ring: Keyring;
  try {
    ring = JSON.parse(raw) as Keyring;
  } catch {
    throw new VaultError("VAULT_KEYS is not valid JSON");
  }
  if (!ring?.current || typeof ring.keys !== "object" || !ring.keys[ring.current]) {
    throw new VaultError("VAULT_KEYS has no current key");
  }
  for (const [id, b64] of Object.entries(ring.keys)) {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new VaultError(`VAULT_KEYS key id "${id}" is not [A-Za-z0-9_-]`);
    if (fromBase64(b64).length !== 32) throw new VaultError(`VAULT_KEYS key "${id}" is not 32 bytes`);
  }
  return ring;
}

// Imported keys by their base64 bytes; filled lazily inside handlers, never at module load.
const imported = new Map<string, Promise<CryptoKey>>();

function importKey(ring: Keyring, keyId: string): Promise<CryptoKey> {
  const b64 = ring.keys[keyId];
  if (!b64) throw new VaultError(`Unknown vault key id "${keyId}"`);
  let key = imported.get(b64);
  if (!key) {
    key = crypto.subtle.importKey("raw", fromBase64(b64), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    imported.set(b64, key);
  }
  return key;
}

export type Vault = {
  currentKeyId: string;
  encrypt(plaintext: string, aad: VaultAad): Promise<string>;
  decrypt(envelope: string, aad: VaultAad): Promise<string>;
};

/** A vault over the keyring in `VAULT_KEYS`. */
export function vaultFrom(env: { VAULT_KEYS?: string }): Vault {
  const ring = parseKeyring(env.VAULT_KEYS);
  return {
    currentKeyId: ring.current,
    async encrypt(plaintext, aad) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const key = await importKey(ring, ring.current);
      const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aadOf(aad) }, key, enc.encode(plaintext));
      return `${VERSION}.${ring.current}.${toBase64(iv)}.${toBase64(new Uint8Array(ct))}`;
    },
    async decrypt(envelope, aad) {
      const parts = envelope.split(".");
      if (parts.length !== 4 || parts[0] !== VERSION) throw new VaultError("Unrecognized vault envelope");
      const [, keyId, ivB64, ctB64] = parts as [string, string, string, string];
      const key = await importKey(ring, keyId);
      try {
        const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(ivB64), additionalData: aadOf(aad) }, key, fromBase64(ctB64));
        return dec.decode(pt);
      } catch {
        // Wrong AAD, wrong key or tampered bytes: GCM authentication fails; say nothing more.
        throw new VaultError("Credential failed to decrypt");
      }
    },
  };
}

/** The key id an envelope was sealed with (for rotation), or null when unrecognized. */
export const envelopeKeyId = (envelope: string) => {
  const parts = envelope.split(".");
  return parts.length === 4 && parts[0] === VERSION ? parts[1]! : null;
};
