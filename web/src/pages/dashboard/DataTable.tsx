import { createMemo, createSignal, For, type JSX } from "solid-js";
import { Button } from "../../ui/Button";
import { downloadCsv } from "./format";

export type Col<T> = { key: string; header: string; value: (row: T) => string | number | null; cell?: (row: T) => JSX.Element; numeric?: boolean };

/** A sortable table (click a header) with a CSV export of all its rows in the shown order; on a phone each row is a card whose figures carry their column's name (data-label, as ui/Table does). */
export function DataTable<T>(props: { caption: string; name: string; columns: Col<T>[]; rows: T[]; initialSort?: string; limit?: number }) {
  const [sort, setSort] = createSignal<{ key: string; desc: boolean }>({ key: props.initialSort ?? props.columns[0]!.key, desc: !!props.initialSort });
  const sorted = createMemo(() => {
    const col = props.columns.find((c) => c.key === sort().key) ?? props.columns[0]!;
    const dir = sort().desc ? -1 : 1;
    return [...props.rows].sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))) * dir;
    });
  });
  const toggle = (key: string) => setSort((s) => ({ key, desc: s.key === key ? !s.desc : true }));
  const exportCsv = () => downloadCsv(props.name, props.columns.map((c) => c.header), sorted().map((r) => props.columns.map((c) => c.value(r))));
  return (
    <div class="data-table">
      <div class="data-table-tools">
        <Button size="sm" variant="secondary" onClick={exportCsv}>Export CSV</Button>
      </div>
      <div class="table-wrap" tabindex="0" role="region" aria-label={props.caption}>
        <table class="table">
          <caption class="sr-only">{props.caption}</caption>
          <thead>
            <tr>
              <For each={props.columns}>
                {(c) => (
                  <th scope="col" classList={{ num: !!c.numeric }} aria-sort={sort().key === c.key ? (sort().desc ? "descending" : "ascending") : "none"}>
                    <button type="button" class="sort-btn" onClick={() => toggle(c.key)}>
                      {c.header} <span aria-hidden="true">{sort().key === c.key ? (sort().desc ? "▾" : "▴") : ""}</span>
                    </button>
                  </th>
                )}
              </For>
            </tr>
          </thead>
          <tbody>
            <For each={props.limit ? sorted().slice(0, props.limit) : sorted()}>
              {(r) => <tr><For each={props.columns}>{(c) => <td classList={{ num: !!c.numeric }} data-label={c.header}>{c.cell ? c.cell(r) : (c.value(r) ?? "—")}</td>}</For></tr>}
            </For>
          </tbody>
        </table>
      </div>
    </div>
  );
}
