// Shared machinery of the AI sandboxes (Anthropic, OpenAI, Gemini): the prompt log tests read
// (GET /_sandbox/ai/prompts), answers generated from the request's own JSON schema, token counts
// and a small real PNG.
import { crc32, deflateSync } from "node:zlib";
import { json, seedOf, type Fault, type ProviderModule, type SandboxRequest, type SandboxResponse } from "../lib.ts";

export type RecordedPrompt = { provider: string; path: string; model: string; text: string; at: number };
const prompts: RecordedPrompt[] = [];

export function recordPrompt(provider: string, req: SandboxRequest, model: string, text: string) {
  prompts.push({ provider, path: req.path, model, text, at: Date.now() });
  if (prompts.length > 2000) prompts.splice(0, prompts.length - 2000);
}

/** GET /_sandbox/ai/prompts[?provider=], DELETE clears. */
export const aiControl: ProviderModule = {
  id: "ai",
  handle: () => null,
  control(req, action) {
    if (action !== "prompts") return null;
    if (req.method === "DELETE") {
      prompts.splice(0, prompts.length);
      return json(200, { ok: true });
    }
    const p = req.url.searchParams.get("provider");
    return json(200, { prompts: prompts.filter((x) => !p || x.provider === p) });
  },
};

export const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

/** The sandbox accepts keys that say they are sandbox keys; anything else is rejected like a wrong key. */
export const sandboxKey = (key: string | undefined) => !!key && /sandbox/.test(key);

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema | Schema[]; prefixItems?: Schema[]; minItems?: number; maxItems?: number; minLength?: number; maxLength?: number; enum?: unknown[]; minimum?: number; maximum?: number; anyOf?: Schema[]; const?: unknown };

const WORDS = ["sandbox", "fresh", "local", "weekend", "favourite", "seasonal", "crafted", "together", "new", "bright"];

/** A value that satisfies `schema`, deterministic in `seed` and the field path. */
export function fromSchema(schema: Schema, seed: number, path = "answer"): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[seed % schema.enum.length];
  if (schema.anyOf?.length) return fromSchema(schema.anyOf[0]!, seed, path);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = fromSchema(v, seedOf(`${seed}.${path}.${k}`), k);
      return out;
    }
    case "array": {
      const n = Math.max(schema.minItems ?? 1, Math.min(schema.maxItems ?? 2, 2));
      if (schema.prefixItems) return schema.prefixItems.map((s, i) => fromSchema(s, seed + i, `${path}.${i}`));
      return Array.from({ length: n }, (_, i) => fromSchema((Array.isArray(schema.items) ? schema.items[0] : schema.items) ?? { type: "string" }, seed + i, `${path}.${i}`));
    }
    case "integer":
    case "number":
      return Math.max(schema.minimum ?? 0, Math.min(schema.maximum ?? 100, (seed % 5) + (schema.minimum ?? 1)));
    case "boolean":
      return seed % 2 === 0;
    default: {
      const text = `Sandbox ${path}: ${WORDS[seed % WORDS.length]} ${WORDS[(seed >> 3) % WORDS.length]} copy`;
      const max = schema.maxLength ?? 80;
      const min = schema.minLength ?? 1;
      return text.length > max ? text.slice(0, max) : text.padEnd(min, ".");
    }
  }
}

/** A real 64×64 PNG: a diagonal gradient between two colours derived from the prompt. */
export function samplePng(prompt: string): Buffer {
  const s = seedOf(prompt);
  const a = [s & 255, (s >> 8) & 255, (s >> 16) & 255];
  const b = [255 - a[0]!, 255 - a[1]!, 255 - a[2]!];
  const size = 64;
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const t = (x + y) / (2 * size - 2);
      for (let c = 0; c < 3; c++) raw[y * (size * 3 + 1) + 1 + x * 3 + c] = Math.round(a[c]! * (1 - t) + b[c]! * t);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

/** AI fault kinds beyond the generic ones: 529 (overloaded), quota (spend limit), slow (answers after retryAfter seconds). */
export type AiFaultKind = Fault["kind"] | "529" | "quota" | "slow";
export const faultKind = (f: Fault) => f.kind as AiFaultKind;

export const withDelay = (res: SandboxResponse, f: Fault): SandboxResponse => ({ ...res, delayMs: (f.retryAfter ?? 3) * 1000 });
