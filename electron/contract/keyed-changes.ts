/**
 * Changes to a list of items known by a key (contacts by JID, message requests by peer): the items
 * that changed, at their latest, and the keys gone. Core merges the batches a slow page has not
 * taken yet; the page applies them to the snapshot it asked for. Pure, like the rest of the contract.
 */
export interface KeyedChanges<T> {
  upserted: readonly T[];
  removed: readonly string[];
}

/** `older` then `newer` as one batch: each item's latest state wins, and a later removal undoes an earlier upsert, and the other way round. */
export function mergeKeyedChanges<T>(older: KeyedChanges<T>, newer: KeyedChanges<T>, keyOf: (item: T) => string): { upserted: T[]; removed: string[] } {
  const upserted = new Map(older.upserted.map((item) => [keyOf(item), item]));
  const removed = new Set(older.removed);
  for (const key of newer.removed) {
    upserted.delete(key);
    removed.add(key);
  }
  for (const item of newer.upserted) {
    const key = keyOf(item);
    removed.delete(key);
    upserted.delete(key);
    upserted.set(key, item);
  }
  return { upserted: [...upserted.values()], removed: [...removed] };
}

/** `list` with `changes` applied: an upserted item takes its old one's place or comes last; removed ones go. */
export function applyKeyedChanges<T>(list: readonly T[], changes: KeyedChanges<T>, keyOf: (item: T) => string): T[] {
  const byKey = new Map(list.map((item) => [keyOf(item), item]));
  for (const key of changes.removed) byKey.delete(key);
  for (const item of changes.upserted) byKey.set(keyOf(item), item);
  return [...byKey.values()];
}
