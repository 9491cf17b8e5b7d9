// `npm run vault:rotate -- <app url>`: re-encrypts every integration credential and every agency
// Stripe secret (finance) to the vault's
// current key, one bounded batch per request, as a platform operator. Rotation:
//   1. add the new key to VAULT_KEYS and make it `current` (keep the old key in `keys`), deploy;
//   2. run this until it reports 0 remaining;  3. drop the old key from VAULT_KEYS, deploy.
// Credentials: QWEB_OPERATOR_EMAIL and QWEB_OPERATOR_PASSWORD (an account granted by operator:create).
import { operatorClient } from "./operator-client.mjs";

const { post } = await operatorClient();
let total = 0;
for (;;) {
  const r = await post("/api/operator/vault/rotate", { limit: 100 });
  total += r.rotated;
  console.log(`re-encrypted ${r.rotated} (total ${total}) to key "${r.currentKeyId}"; ${r.remaining} remaining`);
  if (r.remaining === 0 || r.rotated === 0) break;
}
