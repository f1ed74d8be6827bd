/**
 * A CPython 3.11 `set` of non-negative ints, slot for slot (`Objects/setobject.c`: open addressing with linear probes,
 * the same growth, merge and clean-up rules). Nova prints CPUs in the order it iterates such sets (`CPU number 9 is
 * larger than max 3`), and that order is the hash table's, not ascending. Only the operations Nova's CPU-spec code
 * performs are here.
 */

const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5n;
const MINSIZE = 8;
/** `hash(n)` for `n >= 0` is `n % (2**61 - 1)` on 64-bit CPython. */
const HASH_MODULUS = (1n << 61n) - 1n;
const SIZE_T = (1n << 64n) - 1n;
const DUMMY = 'dummy';

type Slot = { key: bigint; hash: bigint } | null | typeof DUMMY;

export class PySet {
  private table: Slot[] = new Array<Slot>(MINSIZE).fill(null);
  /** Active plus dummy slots. */
  private fill = 0;
  /** Active slots. */
  private used = 0;

  /** `set(range(start, end + 1))`. */
  static fromRange(start: bigint, end: bigint): PySet {
    const set = new PySet();
    for (let value = start; value <= end; value++) set.add(value);
    return set;
  }

  get size(): number {
    return this.used;
  }

  private get mask(): number {
    return this.table.length - 1;
  }

  /** The elements in iteration order. */
  *[Symbol.iterator](): IterableIterator<bigint> {
    for (const slot of this.table) if (slot !== null && slot !== DUMMY) yield slot.key;
  }

  has(key: bigint): boolean {
    return this.lookup(key, hashOf(key)) !== undefined;
  }

  /** `set.add(key)` (`set_add_entry`). */
  add(key: bigint, hash: bigint = hashOf(key)): void {
    const mask = this.mask;
    let i = Number(hash & BigInt(mask));
    let perturb = hash;
    let freeSlot: number | undefined;
    for (;;) {
      let probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      let index = i;
      do {
        const slot = this.table[index]!;
        if (slot === null) {
          if (freeSlot !== undefined) {
            this.table[freeSlot] = { key, hash };
            this.used++;
            return;
          }
          this.table[index] = { key, hash };
          this.fill++;
          this.used++;
          if (this.fill * 5 >= mask * 3) this.resize(this.used > 50000 ? this.used * 2 : this.used * 4);
          return;
        }
        if (slot === DUMMY) freeSlot ??= index;
        else if (slot.hash === hash && slot.key === key) return;
        index++;
      } while (probes-- > 0);
      perturb >>= PERTURB_SHIFT;
      i = Number((BigInt(i) * 5n + 1n + perturb) & BigInt(mask));
    }
  }

  /** `self |= other` for a set `other` (`set_merge`). */
  update(other: PySet): void {
    if (other === this || other.used === 0) return;
    if ((this.fill + other.used) * 5 >= this.mask * 3) this.resize((this.used + other.used) * 2);
    if (this.fill === 0 && this.mask === other.mask && other.fill === other.used) {
      this.table = other.table.map((slot) => slot);
      this.fill = other.fill;
      this.used = other.used;
      return;
    }
    if (this.fill === 0) {
      this.fill = other.used;
      this.used = other.used;
      for (const slot of other.table) if (slot !== null && slot !== DUMMY) insertClean(this.table, slot.key, slot.hash);
      return;
    }
    for (const slot of other.table.slice()) if (slot !== null && slot !== DUMMY) this.add(slot.key, slot.hash);
  }

  /** `self -= other` for a set `other` (`set_difference_update_internal`): discards leave dummies in place. */
  differenceUpdate(other: PySet): void {
    for (const key of other) {
      const index = this.lookup(key, hashOf(key));
      if (index !== undefined) {
        this.table[index] = DUMMY;
        this.used--;
      }
    }
  }

  /** The slot holding `key`, if any (`set_lookkey`). */
  private lookup(key: bigint, hash: bigint): number | undefined {
    const mask = this.mask;
    let i = Number(hash & BigInt(mask));
    let perturb = hash;
    for (;;) {
      let probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      let index = i;
      do {
        const slot = this.table[index]!;
        if (slot === null) return undefined;
        if (slot !== DUMMY && slot.hash === hash && slot.key === key) return index;
        index++;
      } while (probes-- > 0);
      perturb >>= PERTURB_SHIFT;
      i = Number((BigInt(i) * 5n + 1n + perturb) & BigInt(mask));
    }
  }

  /** `set_table_resize`: the smallest power of two above `minUsed`, entries re-inserted in slot order. */
  private resize(minUsed: number): void {
    let size = MINSIZE;
    while (size <= minUsed) size <<= 1;
    if (size === MINSIZE && this.table.length === MINSIZE && this.fill === this.used) return;
    const old = this.table;
    this.table = new Array<Slot>(size).fill(null);
    this.fill = this.used;
    for (const slot of old) if (slot !== null && slot !== DUMMY) insertClean(this.table, slot.key, slot.hash);
  }
}

function hashOf(key: bigint): bigint {
  return (key % HASH_MODULUS) & SIZE_T;
}

/** `set_insert_clean`: the first free slot of the probe sequence (the table has no dummies). */
function insertClean(table: Slot[], key: bigint, hash: bigint): void {
  const mask = table.length - 1;
  let i = Number(hash & BigInt(mask));
  let perturb = hash;
  for (;;) {
    if (table[i] === null) {
      table[i] = { key, hash };
      return;
    }
    if (i + LINEAR_PROBES <= mask) {
      for (let j = 1; j <= LINEAR_PROBES; j++) {
        if (table[i + j] === null) {
          table[i + j] = { key, hash };
          return;
        }
      }
    }
    perturb >>= PERTURB_SHIFT;
    i = Number((BigInt(i) * 5n + 1n + perturb) & BigInt(mask));
  }
}
