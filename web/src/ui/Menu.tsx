import { createSignal, createUniqueId, For, onCleanup, onMount, Show, type JSX } from "solid-js";
import { Icon } from "./Icon";

export type MenuItem = { id: string; label: string; description?: string; checked?: boolean; onSelect: () => void; icon?: JSX.Element };

/**
 * A menu button (WAI-ARIA menu pattern). Its accessible name is what it shows followed by
 * `label` (visually hidden), so speech users can say the visible words (WCAG 2.5.3).
 * Keys: Enter/Space/ArrowDown open it, arrows move, Home/End
 * jump, Esc closes and returns focus to the button, Tab closes.
 */
export function Menu(props: { label: string; trigger: JSX.Element; items: MenuItem[]; heading?: string; footer?: JSX.Element; class?: string; align?: "start" | "end"; placement?: "down" | "up" }) {
  const [open, setOpen] = createSignal(false);
  const id = createUniqueId();
  let root: HTMLDivElement | undefined;
  let button: HTMLButtonElement | undefined;
  const items = () => [...(root?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];

  const show = (focus: "first" | "last" | "checked" = "checked") => {
    setOpen(true);
    requestAnimationFrame(() => {
      const all = items();
      const target = focus === "last" ? all.at(-1) : focus === "first" ? all[0] : (all.find((e) => e.getAttribute("aria-checked") === "true") ?? all[0]);
      target?.focus();
    });
  };
  const hide = (refocus = true) => {
    setOpen(false);
    if (refocus) button?.focus();
  };

  const onOutside = (e: PointerEvent) => {
    if (open() && root && !root.contains(e.target as Node)) hide(false);
  };
  onMount(() => document.addEventListener("pointerdown", onOutside));
  onCleanup(() => document.removeEventListener("pointerdown", onOutside));

  const onMenuKey = (e: KeyboardEvent) => {
    const all = items();
    const i = all.indexOf(document.activeElement as HTMLElement);
    const move = (n: number) => {
      e.preventDefault();
      all[(n + all.length) % all.length]?.focus();
    };
    if (e.key === "ArrowDown") move(i + 1);
    else if (e.key === "ArrowUp") move(i - 1);
    else if (e.key === "Home") move(0);
    else if (e.key === "End") move(all.length - 1);
    else if (e.key === "Escape") {
      e.preventDefault();
      hide();
    } else if (e.key === "Tab") hide(false);
  };

  return (
    <div class={`menu ${props.class ?? ""}`} ref={root}>
      <button
        ref={button}
        type="button"
        class="menu-trigger"
        aria-haspopup="menu"
        aria-expanded={open()}
        aria-controls={id}
        onClick={() => (open() ? hide() : show())}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            show("first");
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            show("last");
          }
        }}
      >
        {props.trigger}
        <span class="sr-only">, {props.label}</span>
      </button>
      <Show when={open()}>
        <div class={`menu-popover menu-${props.align ?? "start"} menu-${props.placement ?? "down"}`} onKeyDown={onMenuKey}>
          {props.heading && <div class="menu-heading">{props.heading}</div>}
          <div role="menu" id={id} aria-label={props.label}>
            <For each={props.items}>
              {(item) => (
                <button
                  type="button"
                  role={item.checked === undefined ? "menuitem" : "menuitemradio"}
                  aria-checked={item.checked === undefined ? undefined : item.checked}
                  class="menu-item"
                  tabindex="-1"
                  onClick={() => {
                    hide();
                    item.onSelect();
                  }}
                >
                  {item.icon}
                  <span class="menu-item-text">
                    <span class="menu-item-label">{item.label}</span>
                    {item.description && <span class="menu-item-desc">{item.description}</span>}
                  </span>
                  <Show when={item.checked}>
                    <Icon name="check" size={16} class="menu-check" />
                  </Show>
                </button>
              )}
            </For>
          </div>
          {props.footer && <div class="menu-footer" onClick={() => hide(false)}>{props.footer}</div>}
        </div>
      </Show>
    </div>
  );
}
