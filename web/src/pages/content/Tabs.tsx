import { A } from "@solidjs/router";

/** The content area's sub-navigation. */
export function ContentTabs() {
  return (
    <nav class="content-tabs" aria-label="Content">
      <A href="/content" end activeClass="active">Studio</A>
      <A href="/content/library" activeClass="active">Library</A>
      <A href="/content/brand-voice" activeClass="active">Brand voice</A>
      <A href="/content/insights" activeClass="active">Insights</A>
      <A href="/content/compose" activeClass="active">Compose</A>
      <A href="/content/calendar" activeClass="active">Calendar</A>
      <A href="/content/queue" activeClass="active">Queue</A>
      <A href="/content/published" activeClass="active">Published</A>
      <A href="/content/stuck" activeClass="active">Stuck</A>
    </nav>
  );
}
