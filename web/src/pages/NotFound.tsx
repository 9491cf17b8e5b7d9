import { A } from "@solidjs/router";
import { Wordmark } from "../layout/Brand";

export default function NotFound() {
  document.title = "Page not found · QWEB";
  return (
    <main id="main" class="not-found">
      <Wordmark />
      <p class="not-found-code">404</p>
      <h1>This page does not exist</h1>
      <p class="muted">The link may be old, or the page may have moved.</p>
      <A href="/" class="btn btn-primary btn-md">
        Go to QWEB
      </A>
    </main>
  );
}
