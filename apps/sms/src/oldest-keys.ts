/**
 * Takes a Map's keys oldest first, one a call, as a bounded cache evicts them; undefined when
 * the map is empty. One iterator is kept between calls: a Map iterator follows later changes, and
 * a fresh one each time would step over every slot deleted since the map was last compacted.
 * Every key before the iterator's place has been taken (and deleted by the caller), so the next
 * key it meets is the oldest; when it runs out, a new one starts from the beginning.
 */
export function oldestKeys<K>(map: ReadonlyMap<K, unknown>): () => K | undefined {
  let keys = map.keys();
  return () => {
    let oldest = keys.next();
    if (oldest.done) {
      keys = map.keys();
      oldest = keys.next();
    }
    return oldest.done ? undefined : oldest.value;
  };
}
