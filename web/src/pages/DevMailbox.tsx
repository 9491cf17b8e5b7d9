import { A } from "@solidjs/router";
import { createMemo, createResource, createSignal, For, Match, Switch, type JSX } from "solid-js";
import { api, errorMessage } from "../lib/api";
import { formatDateTime, timeAgo } from "../lib/format";
import type { MailMessage } from "../lib/api/dev";
import { Wordmark } from "../layout/Brand";
import { Button } from "../ui/Button";
import { Alert, Badge, EmptyState, Loading } from "../ui/Feedback";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Links to this app on another loopback name (localhost vs 127.0.0.1) open on this origin, so cookies match. */
function localHref(url: string): string {
  try {
    const u = new URL(url);
    if (LOOPBACK.has(u.hostname) && LOOPBACK.has(location.hostname) && u.port === location.port) return `${location.origin}${u.pathname}${u.search}${u.hash}`;
  } catch {}
  return url;
}

/** Message text with its http(s) links made clickable; everything else stays text (no HTML injection). */
function Linkified(props: { text: string }): JSX.Element {
  const parts = () => props.text.split(/(https?:\/\/[^\s<>"')]+)/g);
  return (
    <For each={parts()}>
      {(part, i) =>
        i() % 2 === 1 ? (
          <a href={localHref(part)} class="mail-link" rel="noopener">
            {part}
          </a>
        ) : (
          part
        )
      }
    </For>
  );
}

export default function DevMailbox() {
  document.title = "Dev mailbox · QWEB";
  const [data, { refetch }] = createResource(() => api<{ messages: MailMessage[] }>("/api/dev/mailbox", { auth: false }));
  const [filter, setFilter] = createSignal("");
  const messages = createMemo(() => {
    const f = filter().trim().toLowerCase();
    const list = data()?.messages ?? [];
    return f ? list.filter((m) => m.to.toLowerCase().includes(f) || m.subject.toLowerCase().includes(f)) : list;
  });
  return (
    <div class="doc-page">
      <header class="doc-header">
        <A href="/" class="doc-brand" aria-label="QWEB home">
          <Wordmark />
        </A>
        <Badge tone="warning" dot>
          Local development only
        </Badge>
      </header>
      <main id="main" class="mailbox">
        <div class="page-header">
          <div class="page-header-text">
            <h1>Dev mailbox</h1>
            <p class="page-description">Every email QWEB sends while no email provider is configured: invitations, password resets, security notices. Newest first.</p>
          </div>
          <div class="page-actions">
            <input class="input" type="search" placeholder="Filter by recipient or subject" aria-label="Filter messages" value={filter()} onInput={(e) => setFilter(e.currentTarget.value)} />
            <Button icon="refresh" onClick={() => refetch()} loading={data.loading}>
              Refresh
            </Button>
          </div>
        </div>
        <Switch>
          <Match when={data.error}>
            <Alert tone="danger" title="The mailbox is not available">
              {errorMessage(data.error)} The dev mailbox exists only in local development.
            </Alert>
          </Match>
          <Match when={data.loading && !data.latest}>
            <Loading label="Loading messages…" />
          </Match>
          <Match when={messages().length === 0}>
            <EmptyState icon="mail" title={filter() ? "No message matches" : "No messages yet"}>
              Invite someone or request a password reset and the email will appear here.
            </EmptyState>
          </Match>
          <Match when={messages().length > 0}>
            <ul class="mail-list" aria-label="Messages">
              <For each={messages()}>
                {(m) => (
                  <li class="mail" data-to={m.to}>
                    <div class="mail-head">
                      <h2 class="mail-subject">{m.subject}</h2>
                      <time class="mail-time" datetime={new Date(m.createdAt).toISOString()} title={formatDateTime(m.createdAt)}>
                        {timeAgo(m.createdAt)}
                      </time>
                    </div>
                    <p class="mail-to">
                      To <strong>{m.to}</strong>
                    </p>
                    <div class="mail-text">
                      <Linkified text={m.text} />
                    </div>
                  </li>
                )}
              </For>
            </ul>
          </Match>
        </Switch>
      </main>
    </div>
  );
}
