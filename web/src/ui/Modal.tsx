import { createEffect, createSignal, createUniqueId, onCleanup, Show, type JSX } from "solid-js";
import { Button } from "./Button";
import { Icon } from "./Icon";

/**
 * A modal on the native <dialog>: the browser traps focus, Esc closes it, and focus returns to
 * the element that opened it.
 */
export function Modal(props: { open: boolean; title: string; description?: JSX.Element; onClose: () => void; children: JSX.Element; footer?: JSX.Element; size?: "sm" | "md" }) {
  let el: HTMLDialogElement | undefined;
  const titleId = createUniqueId();
  let opener: Element | null = null;
  createEffect(() => {
    if (!el) return;
    if (props.open && !el.open) {
      opener = document.activeElement;
      el.showModal();
      el.querySelector<HTMLElement>("[autofocus], input, select, textarea")?.focus();
    } else if (!props.open && el.open) {
      el.close();
      (opener as HTMLElement | null)?.focus?.();
    }
  });
  onCleanup(() => el?.open && el.close());
  return (
    <dialog
      ref={el}
      class={`modal modal-${props.size ?? "md"}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
      onClick={(e) => {
        if (e.target === el) props.onClose();
      }}
    >
      <Show when={props.open}>
        <div class="modal-panel">
          <header class="modal-header">
            <h2 id={titleId}>{props.title}</h2>
            <button type="button" class="btn btn-icon btn-ghost" aria-label="Close" onClick={() => props.onClose()}>
              <Icon name="x" size={17} />
            </button>
          </header>
          {props.description && <p class="modal-description">{props.description}</p>}
          <div class="modal-body">{props.children}</div>
          {props.footer && <footer class="modal-footer">{props.footer}</footer>}
        </div>
      </Show>
    </dialog>
  );
}

type ConfirmRequest = { title: string; message: JSX.Element; confirmLabel?: string; danger?: boolean; resolve: (ok: boolean) => void };
const [pending, setPending] = createSignal<ConfirmRequest | null>(null);

/** Asks the user to confirm; resolves true only when they press the confirm button. */
export function confirmDialog(opts: Omit<ConfirmRequest, "resolve">): Promise<boolean> {
  return new Promise((resolve) => setPending({ ...opts, resolve }));
}

/** Mounted once near the root. */
export function ConfirmHost() {
  const close = (ok: boolean) => {
    pending()?.resolve(ok);
    setPending(null);
  };
  return (
    <Modal
      open={!!pending()}
      title={pending()?.title ?? ""}
      size="sm"
      onClose={() => close(false)}
      footer={
        <>
          <Button variant="secondary" onClick={() => close(false)}>
            Cancel
          </Button>
          <Button variant={pending()?.danger ? "danger" : "primary"} onClick={() => close(true)} autofocus>
            {pending()?.confirmLabel ?? "Confirm"}
          </Button>
        </>
      }
    >
      <div class="confirm-message">{pending()?.message}</div>
    </Modal>
  );
}
