// Allowlist HTML sanitizer for email bodies over workerd's HTMLRewriter (lol-html: a real HTML
// tokenizer, so no regex parsing of markup). Everything not listed is removed:
// - elements: scripts, styles, frames, forms, objects, SVG/MathML and media go with their content;
//   unknown wrappers (html, body, o:p…) go but keep their text;
// - attributes: only the listed ones (no on* handler survives), `style` reduced to safe
//   declarations (no expression(), url(), behavior, -moz-binding, escapes, @import);
// - links: only http(s) and mailto, opened in a new context without referrer;
// - images: never fetched on render. Remote images are held back as `data-qweb-remote` (shown
//   when the reader allows the sender: `revealImages`), tracking pixels and data:/cid:/javascript:
//   sources are dropped entirely.

const KEEP = new Set([
  "a", "abbr", "address", "b", "bdi", "bdo", "blockquote", "br", "caption", "center", "cite", "code", "col", "colgroup", "dd", "del",
  "div", "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
  "pre", "q", "s", "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul",
]);
const DROP = new Set([
  "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button", "select", "textarea", "option",
  "svg", "math", "noscript", "template", "title", "head", "meta", "link", "base", "audio", "video", "source", "track", "canvas", "picture",
  "portal", "dialog", "xml", "param", "map", "area",
]);
const GLOBAL_ATTRS = new Set(["align", "valign", "dir", "lang", "title", "width", "height", "colspan", "rowspan", "bgcolor", "color", "border", "cellpadding", "cellspacing", "face", "size", "style"]);
const ELEMENT_ATTRS: Record<string, Set<string>> = { a: new Set(["href", "name"]), img: new Set(["src", "alt"]), ol: new Set(["start", "type"]) };
const CSS_PROPS = new Set([
  "color", "background-color", "font", "font-family", "font-size", "font-style", "font-weight", "text-align", "text-decoration", "text-transform",
  "line-height", "letter-spacing", "vertical-align", "white-space", "width", "max-width", "min-width", "height", "max-height", "display",
  "margin", "margin-top", "margin-right", "margin-bottom", "margin-left", "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
  "border", "border-top", "border-right", "border-bottom", "border-left", "border-color", "border-style", "border-width", "border-radius",
  "border-collapse", "border-spacing", "list-style-type",
]);
const BAD_CSS = /expression|url\s*\(|javascript|vbscript|behavior|binding|@import|\\|<|>|&#|\/\*/i;

export type SanitizeResult = { html: string; remoteImages: number; trackersRemoved: number };

/** Only the declarations of allowed properties whose values cannot load or run anything. */
export function sanitizeStyle(style: string): string {
  return style
    .split(";")
    .map((d) => d.trim())
    .filter(Boolean)
    .flatMap((d) => {
      const i = d.indexOf(":");
      if (i <= 0) return [];
      const prop = d.slice(0, i).trim().toLowerCase();
      const value = d.slice(i + 1).trim();
      if (!CSS_PROPS.has(prop) || BAD_CSS.test(value) || /position|fixed/i.test(value)) return [];
      return [`${prop}: ${value}`];
    })
    .join("; ");
}

/** http(s) and mailto only; anything else (javascript:, data:, vbscript:, relative) is refused. */
export function safeUrl(raw: string, schemes: string[]): string | null {
  // Browsers ignore control characters and whitespace inside the scheme ("java\tscript:").
  const compact = raw.replace(/[\u0000-\u0020\u007f-\u009f]+/g, "");
  try {
    const u = new URL(compact);
    return schemes.includes(u.protocol) ? u.toString() : null;
  } catch {
    return null;
  }
}

const isTiny = (v: string | null) => v !== null && /^\s*[0-2](px)?\s*$/i.test(v);

/** KEEP elements that the rewriter leaves as they are when they carry no attribute (a and img it always changes). */
const AS_IS = new Set([...KEEP].filter((t) => t !== "a" && t !== "img"));
const PLAIN_TAG = /<\/?([a-z][a-z0-9]*)>/y;

/**
 * Whether the rewriter would leave `input` exactly as it is: every "<" opens a bare tag
 * ("<p>", "</b>", lowercase, no attribute, not even a space) of an element kept as it is, so
 * there is no attribute, comment, doctype or removed element, and the tokenizer never leaves its
 * data state (no raw-text element is among them). Anything else, however harmless, takes the
 * rewriter. (bench/inbox.bench.mjs: the rewriter's call into JS for each element cost more than
 * the rest of sanitizing; plainly formatted mail has nothing for it to do.)
 */
function nothingToRemove(input: string): boolean {
  if (input.includes("\0") || !(input as string & { isWellFormed(): boolean }).isWellFormed()) return false;
  for (let i = input.indexOf("<"); i !== -1; i = input.indexOf("<", PLAIN_TAG.lastIndex)) {
    PLAIN_TAG.lastIndex = i;
    const m = PLAIN_TAG.exec(input);
    if (!m || !AS_IS.has(m[1]!)) return false;
  }
  return true;
}

export async function sanitizeEmailHtml(input: string): Promise<SanitizeResult> {
  if (nothingToRemove(input)) return { html: input, remoteImages: 0, trackersRemoved: 0 };
  let remoteImages = 0;
  let trackersRemoved = 0;
  const rewriter = new HTMLRewriter()
    .onDocument({
      comments: (c) => void c.remove(),
      doctype: () => {},
    })
    .on("*", {
      element(el) {
        const tag = el.tagName.toLowerCase();
        if (DROP.has(tag) || tag.includes(":") && DROP.has(tag.split(":")[1]!)) {
          el.remove();
          return;
        }
        if (!KEEP.has(tag)) {
          el.removeAndKeepContent();
          return;
        }
        // One pass over the attributes: the disallowed go, the values the checks below need are
        // kept (the first of a repeated name, as browsers read it).
        const own = ELEMENT_ATTRS[tag];
        const kept = new Map<string, string>();
        for (const [name, value] of [...el.attributes] as [string, string][]) {
          const n = name.toLowerCase();
          if (!GLOBAL_ATTRS.has(n) && !own?.has(n)) el.removeAttribute(name);
          else if (!kept.has(n)) kept.set(n, value);
        }
        const style = kept.get("style") ?? null;
        if (style !== null) {
          const clean = sanitizeStyle(style);
          if (clean) el.setAttribute("style", clean);
          else el.removeAttribute("style");
        }
        if (tag === "a") {
          const href = kept.get("href") ?? null;
          const safe = href === null ? null : safeUrl(href, ["http:", "https:", "mailto:"]);
          if (safe) {
            el.setAttribute("href", safe);
            el.setAttribute("target", "_blank");
            el.setAttribute("rel", "noopener noreferrer nofollow");
          } else if (href !== null) el.removeAttribute("href");
        }
        if (tag === "img") {
          const src = kept.get("src") ?? null;
          const remote = src === null ? null : safeUrl(src, ["http:", "https:"]);
          const hidden = /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style ?? "");
          if (remote && (hidden || (isTiny(kept.get("width") ?? null) && isTiny(kept.get("height") ?? null)))) {
            trackersRemoved++;
            el.remove();
            return;
          }
          if (src !== null) el.removeAttribute("src");
          if (remote) {
            remoteImages++;
            el.setAttribute("data-qweb-remote", remote);
          }
          if (!kept.get("alt")) el.setAttribute("alt", remote ? "[remote image]" : "[image]");
        }
      },
    });
  const html = await rewriter.transform(new Response(input, { headers: { "content-type": "text/html; charset=utf-8" } })).text();
  return { html, remoteImages, trackersRemoved };
}

/** Restores the held-back remote images (the reader allowed this sender). The input is our own sanitized output. */
export async function revealImages(sanitized: string): Promise<string> {
  const rewriter = new HTMLRewriter().on("img[data-qweb-remote]", {
    element(el) {
      const url = safeUrl(el.getAttribute("data-qweb-remote") ?? "", ["http:", "https:"]);
      el.removeAttribute("data-qweb-remote");
      if (url) el.setAttribute("src", url);
    },
  });
  return rewriter.transform(new Response(sanitized, { headers: { "content-type": "text/html; charset=utf-8" } })).text();
}
