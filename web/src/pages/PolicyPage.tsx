import { A } from "@solidjs/router";
import { createResource, For, Match, Switch, type JSX } from "solid-js";
import { api, errorMessage } from "../lib/api";
import { formatDate } from "../lib/format";
import { session } from "../lib/session";
import type { PolicyText } from "../lib/api/policy";
import { Wordmark } from "../layout/Brand";
import { Alert, Loading } from "../ui/Feedback";

type Block = { kind: "h2" | "h3" | "p" | "ul"; text: string[] };

/** Plain policy text to blocks: "1. Title" → h2, "1.1 Title" → h3, "- item" → list, else paragraphs. */
function toBlocks(text: string): Block[] {
  const out: Block[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    if (/^\d+\.\d+\s+\S/.test(line) && line.length < 90) out.push({ kind: "h3", text: [line] });
    else if (/^\d+\.\s+\S/.test(line) && line.length < 90) out.push({ kind: "h2", text: [line] });
    else if (/^[-•]\s+/.test(line)) {
      const item = line.replace(/^[-•]\s+/, "");
      const last = out.at(-1);
      if (last?.kind === "ul") last.text.push(item);
      else out.push({ kind: "ul", text: [item] });
    } else out.push({ kind: "p", text: [line] });
  }
  return out;
}

function Render(props: { block: Block }): JSX.Element {
  const b = props.block;
  if (b.kind === "h2") return <h2>{b.text[0]}</h2>;
  if (b.kind === "h3") return <h3>{b.text[0]}</h3>;
  if (b.kind === "ul") return <ul>{b.text.map((t) => <li>{t}</li>)}</ul>;
  return <p>{b.text[0]}</p>;
}

export default function PolicyPage() {
  const [policy] = createResource(() => api<PolicyText>("/api/policy/text", { auth: false }));
  document.title = "Privacy policy · QWEB";
  const body = () => {
    const p = policy();
    if (!p) return [];
    // The text repeats the title and dates that the header already shows.
    return toBlocks(p.text).filter((b, i) => !(i < 3 && b.kind === "p" && (b.text[0] === p.title || /^Effective date/i.test(b.text[0] ?? ""))));
  };
  return (
    <div class="doc-page">
      <header class="doc-header">
        <A href={session.status() === "authenticated" ? "/dashboard" : "/"} class="doc-brand" aria-label="QWEB home">
          <Wordmark />
        </A>
        <A href={session.status() === "authenticated" ? "/dashboard" : "/login"} class="btn btn-secondary btn-sm">
          {session.status() === "authenticated" ? "Back to the app" : "Sign in"}
        </A>
      </header>
      <main id="main" class="doc">
        <Switch>
          <Match when={policy.loading}>
            <Loading label="Loading the privacy policy…" />
          </Match>
          <Match when={policy.error}>
            <Alert tone="danger" title="The privacy policy could not be loaded">
              {errorMessage(policy.error)}
            </Alert>
          </Match>
          <Match when={policy()}>
            {(p) => (
              <article class="prose">
                <p class="page-eyebrow">Legal</p>
                <h1>{p().title}</h1>
                <p class="doc-meta">
                  Effective {formatDate(p().effectiveDate)} · Version {p().version}
                </p>
                <For each={body()}>{(b) => <Render block={b} />}</For>
              </article>
            )}
          </Match>
        </Switch>
      </main>
    </div>
  );
}
