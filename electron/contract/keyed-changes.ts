/**
 * Changes to a list of items known by a key (contacts by JID, message requests by peer): the items
 * that changed, at their latest, and the keys gone. Core merges the batches a slow page has not
 * taken yet; the page applies them to the snapshot it asked for. Pure, like the rest of the contract.
 */
export interface KeyedChanges<T> {
  upserted: readonly T[];
  removed: readonly string[];
}

/**
 * Batches of changes gathered as one: each item's latest state wins, and a later removal undoes an
 * earlier upsert, and the other way round. Each batch costs its own size, however much is gathered.
 */
export class GatheredChanges<T> {
  readonly #upserted = new Map<string, T>();
  readonly #removed = new Set<string>();

  constructor(private readonly keyOf: (item: T) => string) {}

  add({ upserted, removed }: KeyedChanges<T>): void {
    for (const key of removed) {
      this.#upserted.delete(key);
      this.#removed.add(key);
    }
    for (const item of upserted) {
      const key = this.keyOf(item);
      this.#removed.delete(key);
      this.#upserted.delete(key);
      this.#upserted.set(key, item);
    }
  }

  changes(): { upserted: T[]; removed: string[] } {
    return { upserted: [...this.#upserted.values()], removed: [...this.#removed] };
  }
}

/** `list` with `changes` applied: an upserted item takes its old one's place or comes last; removed ones go. */
export function applyKeyedChanges<T>(list: readonly T[], changes: KeyedChanges<T>, keyOf: (item: T) => string): T[] {
  const byKey = new Map(list.map((item) => [keyOf(item), item]));
  for (const key of changes.removed) byKey.delete(key);
  for (const item of changes.upserted) byKey.set(keyOf(item), item);
  return [...byKey.values()];
}
