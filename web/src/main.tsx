import { render } from "solid-js/web";
import { App } from "./App";
import { session } from "./lib/session";
import "./styles.css";

// Bring back the session from the refresh cookie while the first route renders.
void session.restore();
render(() => <App />, document.getElementById("root")!);
