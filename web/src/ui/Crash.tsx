import { Button } from "./Button";
import { Icon } from "./Icon";

/** Shown by an ErrorBoundary when a page throws while rendering, instead of a frozen screen. */
export function Crash(props: { error: unknown; reset: () => void }) {
  console.error(props.error);
  return (
    <div class="crash" role="alert">
      <span class="empty-icon">
        <Icon name="alert" size={24} />
      </span>
      <h2>Something went wrong on this page</h2>
      <p class="muted">{props.error instanceof Error ? props.error.message : String(props.error)}</p>
      <div class="crash-actions">
        <Button onClick={() => props.reset()}>Try again</Button>
        <Button variant="primary" onClick={() => location.reload()}>
          Reload QWEB
        </Button>
      </div>
    </div>
  );
}
