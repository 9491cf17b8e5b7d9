// Pure board arithmetic: where a card lands, and the order of each column after a move.
export type Status = "todo" | "doing" | "done";
export type Card = { id: string; status: Status };

export const columnOf = <T extends Card>(cards: T[], status: Status) => cards.filter((c) => c.status === status);

/** The cards after moving `id` into `status` at `index` (0 = top); each column keeps its order. */
export function moved<T extends Card>(cards: T[], id: string, status: Status, index: number): T[] {
  const card = cards.find((c) => c.id === id);
  if (!card) return cards;
  const rest = cards.filter((c) => c.id !== id);
  const target = columnOf(rest, status);
  const at = Math.max(0, Math.min(index, target.length));
  const next = { ...card, status };
  // Insert before the card now at `at`, or after the column's last one.
  const before = target[at];
  const pos = before ? rest.indexOf(before) : target.length ? rest.indexOf(target[target.length - 1]!) + 1 : rest.length;
  return [...rest.slice(0, pos), next, ...rest.slice(pos)];
}

/** The card it now follows in its column (null: the top), as the move API takes it. */
export function afterIdOf(cards: Card[], id: string): string | null {
  const card = cards.find((c) => c.id === id);
  if (!card) return null;
  const col = columnOf(cards, card.status);
  return col[col.indexOf(card) - 1]?.id ?? null;
}
