import { createMemo, Show } from "solid-js";
import type { Message } from "../../lib/api/inbox";

// The body was sanitized on the server (allowlist: no script, handler, frame, form, javascript:
// or data: URL survives). It is still shown in an iframe with `sandbox` (no scripts, no
// same-origin, no forms; links may open a new tab) and its own CSP, so even a sanitizer bug could
// not run code in, or read from, the app.
const FRAME_CSP = "default-src 'none'; img-src https: http:; style-src 'unsafe-inline'; font-src 'none'; form-action 'none'";

function srcdoc(html: string) {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}"><base target="_blank">
<style>body{font:14px/1.5 system-ui,sans-serif;color:#1f2937;margin:8px;word-wrap:break-word}img{max-width:100%;height:auto}
img:not([src]){display:inline-block;min-width:60px;min-height:24px;background:#eef1f6;border:1px dashed #9aa4b2;color:#475569;font-size:12px;padding:2px 6px}</style></head><body>${html}</body></html>`;
}

export function MessageBody(props: { message: Message }) {
  const doc = createMemo(() => (props.message.html ? srcdoc(props.message.html) : null));
  return (
    <Show when={doc()} fallback={<pre class="inbox-text">{props.message.text}</pre>}>
      <iframe class="inbox-frame" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc={doc()!} title={`Message from ${props.message.from.name ?? props.message.from.address}`} />
    </Show>
  );
}
