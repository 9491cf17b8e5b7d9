import { initWasm, Resvg } from "@resvg/resvg-wasm";
// Bundled by wrangler as WebAssembly.Module: workerd refuses to compile wasm from bytes at run time.
import resvgWasm from "@resvg/resvg-wasm/index_bg.wasm";
import font from "./fonts/DejaVuSans-Bold.ttf";

// satori was tried first: its text shaper (harfbuzzjs) compiles wasm from bytes as it loads,
// which workerd refuses, so the card is written as SVG here and rendered by resvg alone.
let ready: Promise<void> | null = null;
const init = () => (ready ??= initWasm(resvgWasm));

export type BrandCard = { headline: string; tagline: string; brand: string; colors: [string, string] };

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const hex = (c: string) => (/^#[0-9a-fA-F]{6}$/.test(c) ? c : "#1f6feb");

/** Greedy word wrap by an average glyph width (DejaVu Sans Bold is about 0.62 em). */
export function wrap(text: string, fontSize: number, width: number, maxLines: number): string[] {
  const perLine = Math.max(4, Math.floor(width / (fontSize * 0.62)));
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= perLine) line = next;
    else {
      if (line) lines.push(line);
      line = word.slice(0, perLine);
    }
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    lines.length = maxLines;
    lines[maxLines - 1] = `${lines[maxLines - 1]!.replace(/\s*\S*$/, "")}…`;
  }
  return lines;
}

export function brandCardSvg(card: BrandCard, size = 1024): string {
  const [a, b] = [hex(card.colors[0]), hex(card.colors[1])];
  const pad = 80;
  const hSize = card.headline.length > 48 ? 64 : 84;
  const headline = wrap(card.headline, hSize, size - 2 * pad, 5);
  const tagline = wrap(card.tagline, 34, size - 2 * pad, 3);
  const tagTop = size - pad - tagline.length * 44;
  const headTop = tagTop - 40 - headline.length * hSize * 1.1;
  const text = (lines: string[], y: number, fs: number, lh: number, opacity: number) =>
    lines.map((l, i) => `<text x="${pad}" y="${Math.round(y + (i + 1) * lh)}" font-size="${fs}" fill="#fff" fill-opacity="${opacity}">${esc(l)}</text>`).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" font-family="DejaVu Sans" font-weight="700">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs>
<rect width="${size}" height="${size}" fill="url(#g)"/>
<circle cx="${size - 150}" cy="170" r="220" fill="#fff" fill-opacity="0.08"/>
<text x="${pad}" y="${pad + 30}" font-size="30" letter-spacing="4" fill="#fff" fill-opacity="0.85">${esc(card.brand.toUpperCase())}</text>
${text(headline, headTop, hSize, hSize * 1.1, 1)}
${text(tagline, tagTop, 34, 44, 0.9)}
</svg>`;
}

/** A real PNG: the brand's colours as a gradient with its headline and tagline set in DejaVu Sans Bold. */
export async function renderBrandCard(card: BrandCard, size = 1024): Promise<Uint8Array> {
  await init();
  const resvg = new Resvg(brandCardSvg(card, size), {
    font: { fontBuffers: [new Uint8Array(font)], loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" },
    fitTo: { mode: "width", value: size },
  });
  return resvg.render().asPng();
}
