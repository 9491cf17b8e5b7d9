import { createMemo, createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { api, errorMessage } from "../lib/api";
import { TextField } from "../ui/Form";
import { Alert, Badge, EmptyState, SkeletonRows } from "../ui/Feedback";
import { Card, PageHeader } from "../ui/Layout";

type Schema = Record<string, unknown>;
type Operation = {
  summary: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: { "application/json": { schema: Schema } } };
  responses: Record<string, unknown>;
};
type OpenApi = { info: { title: string; version: string }; paths: Record<string, Record<string, Operation>> };
type Entry = Operation & { method: string; path: string };

const methodTone = { get: "info", post: "success", patch: "warning", put: "warning", delete: "danger" } as const;

/** Every endpoint of the API, read from /api/openapi.json (generated from the server's own schemas). */
export default function ApiReference() {
  const [doc] = createResource(() => api<OpenApi>("/api/openapi.json", { auth: false }));
  const [filter, setFilter] = createSignal("");

  const byTag = createMemo(() => {
    const d = doc();
    if (!d) return [];
    const q = filter().trim().toLowerCase();
    const groups = new Map<string, Entry[]>();
    for (const [path, ops] of Object.entries(d.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (q && !`${method} ${path} ${op.summary}`.toLowerCase().includes(q)) continue;
        const tag = op.tags?.[0] ?? "other";
        groups.set(tag, [...(groups.get(tag) ?? []), { ...op, method, path }]);
      }
    }
    return [...groups.entries()];
  });

  return (
    <>
      <PageHeader
        title="API reference"
        description={<>Every endpoint of the QWEB API, generated from the same schemas the server validates with. Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</>}
      />
      <div class="stack">
        <TextField label="Filter" placeholder="Path, method or summary" value={filter()} onValue={setFilter} />
        <Switch>
          <Match when={doc.error}>
            <Alert tone="danger">{errorMessage(doc.error)}</Alert>
          </Match>
          <Match when={doc.loading}>
            <SkeletonRows cols={3} rows={8} />
          </Match>
          <Match when={byTag().length === 0}>
            <EmptyState icon="code" title="No matching endpoint">Try another filter.</EmptyState>
          </Match>
          <Match when={doc()}>
            <For each={byTag()}>
              {([tag, entries]) => (
                <Card title={tag[0]!.toUpperCase() + tag.slice(1)} id={`tag-${tag.replace(/\W+/g, "-")}`}>
                  <div class="stack">
                    <For each={entries}>{(e) => <Endpoint entry={e} />}</For>
                  </div>
                </Card>
              )}
            </For>
          </Match>
        </Switch>
      </div>
    </>
  );
}

function Endpoint(props: { entry: Entry }) {
  const e = () => props.entry;
  const body = () => e().requestBody?.content["application/json"]?.schema;
  const query = () => (e().parameters ?? []).filter((p) => p.in === "query");
  return (
    <article>
      <div>
        <Badge tone={methodTone[e().method as keyof typeof methodTone] ?? "neutral"}>{e().method.toUpperCase()}</Badge>{" "}
        <code class="mono">{e().path}</code>{" "}
        <Show when={e().security?.length === 0}>
          <Badge tone="brand">public</Badge>
        </Show>
      </div>
      <p>
        {e().summary} <span class="muted">→ {Object.keys(e().responses).filter((s) => /^\d+$/.test(s)).join(", ")}</span>
      </p>
      <Show when={query().length > 0}>
        <p class="muted">
          Query: <For each={query()}>{(p) => <code class="mono">{p.name}{p.required ? "" : "?"} </code>}</For>
        </p>
      </Show>
      <Show when={body()}>
        <details>
          <summary>Request body</summary>
          <pre class="mono">{JSON.stringify(body(), null, 2)}</pre>
        </details>
      </Show>
    </article>
  );
}
