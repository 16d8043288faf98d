/**
 * A Map that forgets everything at once when the next entry would take it past `maxEntries`
 * entries or `maxUnits` units (what each entry costs, as its `set` says: UTF-16 units of its
 * strings, say). Forgetting whole keeps it a plain Map lookup; the caches it serves refill in a
 * frame or two.
 */
export class BoundedCache<V> {
	private readonly map = new Map<string, V>();
	private heldUnits = 0;

	constructor(
		private readonly maxEntries: number,
		private readonly maxUnits = Number.POSITIVE_INFINITY,
	) {}

	get(key: string): V | undefined {
		return this.map.get(key);
	}

	set(key: string, value: V, units = 0): void {
		if (this.map.size >= this.maxEntries || this.heldUnits + units > this.maxUnits) this.clear();
		this.map.set(key, value);
		this.heldUnits += units;
	}

	clear(): void {
		this.map.clear();
		this.heldUnits = 0;
	}

	get size(): number {
		return this.map.size;
	}

	get units(): number {
		return this.heldUnits;
	}
}
