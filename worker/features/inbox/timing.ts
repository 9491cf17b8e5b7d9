// Where a mailbox sync's time goes, summed over its steps since the last full sync began (kept in
// the mailbox's sync summary, read by bench/inbox.bench.mjs). Wall-clock ms taken at I/O
// boundaries (a Worker's clock only moves with I/O): fetch = the provider's batch requests;
// parse = from the stored-already lookup to the conversations lookup (postal-mime + sanitizer);
// store = building the rows, R2 and the D1 batch; triage = rules, P04 checks, classification and
// its writes, of which aiProviderMs were the AI provider's own calls.
import type { SyncTimings } from "../../db/schema";

export type StepTiming = SyncTimings;

export const noTiming = (): StepTiming => ({ steps: 0, messages: 0, listMs: 0, fetchMs: 0, parseMs: 0, storeMs: 0, triageMs: 0, classified: 0, aiProviderMs: 0 });

export const addTiming = (a: StepTiming | undefined, b: StepTiming): StepTiming => {
  const out = { ...noTiming(), ...a };
  for (const k of Object.keys(b) as (keyof StepTiming)[]) out[k] += b[k];
  return out;
};
