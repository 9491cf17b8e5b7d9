import type { AiProvider } from "../../../connectors/ai/types";
import { renderBrandCard } from "../../../connectors/ai/local/image";
import type { AiContext } from "../context";
import type { JobInput } from "../kinds";
import { writeLocally } from "./writer";

const tokensOf = (chars: number) => Math.max(1, Math.ceil(chars / 4));

/** The built-in provider: no key, no network; deterministic copy and a real PNG; usage counted like a tokenizer would (≈4 chars a token). */
export function localProvider(now: () => number): AiProvider {
  return {
    id: "local",
    async text(req) {
      const variants = Array.from({ length: req.local.variants }, (_, v) => writeLocally(req.local.kind, req.local.context as AiContext, req.local.input as JobInput, v, now()));
      const data = { variants };
      return { data, model: "qweb-local-1", usage: { inputTokens: tokensOf(req.system.length + req.prompt.length), outputTokens: tokensOf(JSON.stringify(data).length), images: 0 } };
    },
    async image(req) {
      const png = await renderBrandCard(req.card);
      return { png, model: "qweb-local-1", usage: { inputTokens: tokensOf(req.prompt.length), outputTokens: 0, images: 1 } };
    },
  };
}
