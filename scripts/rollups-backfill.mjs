// `npm run rollups:backfill -- <app url>`: rebuilds every integration's dashboard rollups from the
// synced rows (after a catalogue change, or to repair), a batch per request, as a platform operator.
// Credentials: QWEB_OPERATOR_EMAIL and QWEB_OPERATOR_PASSWORD (an account granted by operator:create).
import { operatorClient } from "./operator-client.mjs";

const { post } = await operatorClient();
let after;
let integrations = 0;
let rows = 0;
do {
  const r = await post("/api/metrics/rollups/rebuild", { limit: 50, ...(after ? { after } : {}) });
  integrations += r.integrations;
  rows += r.rows;
  console.log(`rebuilt ${integrations} integration(s), ${rows} rollup rows written`);
  after = r.next;
} while (after);
