// What the sandbox issued (codes, tokens, generated accounts, webhooks, mutations, settings)
// survives a restart when it runs with a state file, as a real provider's does: each module
// registers its part; changes are written debounced, atomically (temp file + rename).
// Without a file the sandbox stays in memory only.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

type Part = { save(): unknown; load(data: any): void };
const parts = new Map<string, Part>();
const DEBOUNCE_MS = 200;
let file: string | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

export function persisted(name: string, part: Part) {
  parts.set(name, part);
}

/** Call after any change worth keeping; writes at most once per DEBOUNCE_MS. */
export function changed() {
  if (!file || timer) return;
  timer = setTimeout(flushState, DEBOUNCE_MS);
}

export function flushState() {
  if (timer) clearTimeout(timer);
  timer = null;
  if (!file) return;
  const data = { version: 1, savedAt: new Date().toISOString(), parts: Object.fromEntries([...parts].map(([k, p]) => [k, p.save()])) };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, file);
}

/** Loads the file (when it exists) into every registered part; later changes are written back to it. */
export function openState(stateFile: string) {
  file = path.resolve(stateFile);
  mkdirSync(path.dirname(file), { recursive: true });
  if (!existsSync(file)) return;
  let data: { parts?: Record<string, unknown> };
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    // A broken file must not stop the demo: keep it aside and start afresh.
    renameSync(file, `${file}.broken-${Date.now()}`);
    console.error(`sandbox state ${file} was unreadable (${String(err)}); starting with an empty sandbox`);
    return;
  }
  for (const [name, part] of parts) if (data.parts?.[name] !== undefined) part.load(data.parts[name]);
}

export function closeState() {
  flushState();
  file = null;
}

/** A Map's entries for save(), and back. */
export const entries = <K, V>(m: Map<K, V>) => [...m];
export function refill<K, V>(m: Map<K, V>, data: [K, V][] | undefined) {
  m.clear();
  for (const [k, v] of data ?? []) m.set(k, v);
}
