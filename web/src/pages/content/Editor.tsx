import { createSignal, For } from "solid-js";
import { Button } from "../../ui/Button";
import { TextArea } from "../../ui/Form";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { editContent, type ContentItem } from "../../lib/api/content";

type Leaf = { path: (string | number)[]; label: string; value: string };

/** Every text field of a body, with a readable label ("posts 1 · text"). */
function leaves(value: unknown, path: (string | number)[] = []): Leaf[] {
  if (typeof value === "string") return [{ path, value, label: path.map((p) => (typeof p === "number" ? String(p + 1) : p.replace(/([A-Z])/g, " $1").toLowerCase())).join(" · ") }];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => (k === "image" || k === "network" || k === "day" ? [] : leaves(v, [...path, k])));
  return [];
}

function setAt(root: any, path: (string | number)[], v: string) {
  let o = root;
  for (const p of path.slice(0, -1)) o = o[p];
  o[path[path.length - 1]!] = v;
}

/** Edits the text of any kind; saving keeps the previous text as a version. */
export function ContentEditor(props: { item: Pick<ContentItem, "id" | "body">; onSaved: () => void }) {
  const fields = leaves(props.item.body);
  const [values, setValues] = createSignal(fields.map((f) => f.value));
  const { busy, submit } = createSubmit();
  const save = submit(async () => {
    const body = structuredClone(props.item.body);
    fields.forEach((f, i) => setAt(body, f.path, values()[i]!));
    await editContent(props.item.id, body);
    toast.success("Saved as a new version");
    props.onSaved();
  });
  return (
    <form class="stack" onSubmit={save} aria-label="Edit content">
      <For each={fields}>
        {(f, i) => <TextArea label={f.label} rows={f.value.length > 90 ? 4 : 1} value={values()[i()]} onValue={(v) => setValues((vs) => vs.map((x, j) => (j === i() ? v : x)))} />}
      </For>
      <Button type="submit" variant="primary" loading={busy()}>Save version</Button>
    </form>
  );
}
