import { For, Show, type JSX } from "solid-js";

export type Column<T> = {
  header: string;
  cell: (row: T) => JSX.Element;
  class?: string;
  /** Right-aligned action column; its header is visually hidden. */
  actions?: boolean;
};

/**
 * A responsive data table. On a phone each row becomes a card (the column name beside each value,
 * the row's actions at its foot), so no column is clipped and no button is out of reach.
 */
export function Table<T>(props: { caption: string; columns: Column<T>[]; rows: T[]; rowKey?: (row: T) => string; empty?: JSX.Element }) {
  return (
    <Show when={props.rows.length > 0} fallback={props.empty}>
      <div class="table-wrap" tabindex="0" role="region" aria-label={props.caption}>
        <table class="table">
          <caption class="sr-only">{props.caption}</caption>
          <thead>
            <tr>
              <For each={props.columns}>
                {(c) => (
                  <th scope="col" class={c.class} classList={{ "col-actions": !!c.actions }}>
                    {c.actions ? <span class="sr-only">{c.header}</span> : c.header}
                  </th>
                )}
              </For>
            </tr>
          </thead>
          <tbody>
            <For each={props.rows}>
              {(row) => (
                <tr data-key={props.rowKey?.(row)}>
                  <For each={props.columns}>
                    {(c) => (
                      <td class={c.class} classList={{ "col-actions": !!c.actions }} data-label={c.actions ? undefined : c.header}>
                        {c.cell(row)}
                      </td>
                    )}
                  </For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </Show>
  );
}
