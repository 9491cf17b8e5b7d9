import { Router, Route } from "@solidjs/router";
import { lazy } from "solid-js";

const Login = lazy(() => import("./pages/Login"));

export function App() {
  return (
    <Router>
      <Route path="/" component={Login} />
      <Route path="/login" component={Login} />
    </Router>
  );
}
