package io.tidemark.engine.kernel;

import java.util.Arrays;

/**
 * Open addressing from a 64-bit key hash to dense key ids 0, 1, ..: at most half full, linear
 * probing. Comparing keys is the caller's: a probe walks the slots from {@link #start} with
 * {@link #next} until an empty one ({@link #key} -1).
 */
public final class KeySlots
{
    private long[] hashes = new long[1024];
    private int[] slots = filled(1024);
    private int size;

    /** Keys added so far. */
    public int size()
    {
        return size;
    }

    public int start(long hash)
    {
        return slotOf(hash, slots.length - 1);
    }

    public int next(int slot)
    {
        return (slot + 1) & (slots.length - 1);
    }

    /** The key in a slot, or -1 when it is empty. */
    public int key(int slot)
    {
        return slots[slot];
    }

    public long hash(int slot)
    {
        return hashes[slot];
    }

    /** Adds a new key with this hash (the caller found none equal to it); returns its id. */
    public int add(long hash)
    {
        int key = size++;
        if (size * 2 > slots.length) {
            grow();
        }
        int slot = start(hash);
        while (slots[slot] >= 0) {
            slot = next(slot);
        }
        slots[slot] = key;
        hashes[slot] = hash;
        return key;
    }

    private void grow()
    {
        long[] oldHashes = hashes;
        int[] oldSlots = slots;
        hashes = new long[oldSlots.length * 2];
        slots = filled(oldSlots.length * 2);
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] >= 0) {
                int slot = start(oldHashes[i]);
                while (slots[slot] >= 0) {
                    slot = next(slot);
                }
                slots[slot] = oldSlots[i];
                hashes[slot] = oldHashes[i];
            }
        }
    }

    private static int slotOf(long hash, int mask)
    {
        return (int) (hash ^ (hash >>> 29)) & mask;
    }

    private static int[] filled(int n)
    {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }
}
