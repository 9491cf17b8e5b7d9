import { render } from "solid-js/web";
import { App } from "./App";
import { session } from "./lib/session";
import "./styles.css";

// A new build replaces the hashed route chunks; a page still holding the old index would fail to
// load its next route. Reload once (the session comes back from the refresh cookie) instead.
window.addEventListener("vite:preloadError", (event) => {
  const key = "qweb.chunk-reload";
  const last = Number(sessionStorage.getItem(key) ?? 0);
  if (Date.now() - last < 30_000) return; // reloaded just now: let the error boundary show it
  sessionStorage.setItem(key, String(Date.now()));
  event.preventDefault();
  location.reload();
});

// Bring back the session from the refresh cookie while the first route renders.
void session.restore();
render(() => <App />, document.getElementById("root")!);
