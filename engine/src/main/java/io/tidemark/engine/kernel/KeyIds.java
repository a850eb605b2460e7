package io.tidemark.engine.kernel;

import io.tidemark.engine.plan.KeyColumns;

import java.util.Arrays;

/**
 * Dense ids for the by-key values of one shard, so the merge indexes arrays instead of hashing.
 * Uses the hash computed while partitioning and checks equality on the key columns, so a 64-bit
 * collision can never join two different keys.
 */
public final class KeyIds
{
    private final KeyColumns[] sides;
    private long[] hashes;
    private int[] ids;
    private int[] repSide;
    private int[] repRow;
    private int size;

    public KeyIds(KeyColumns left, KeyColumns right)
    {
        this.sides = new KeyColumns[] {left, right};
        this.hashes = new long[1024];
        this.ids = new int[1024];
        Arrays.fill(ids, -1);
        this.repSide = new int[256];
        this.repRow = new int[256];
    }

    public int size()
    {
        return size;
    }

    /**
     * The id of a row's key; a new id when {@code insert}, else -1 for a key not seen yet.
     * {@code side} is 0 for left, 1 for right.
     */
    public int id(int side, int row, long hash, boolean insert)
    {
        int mask = ids.length - 1;
        int slot = (int) (hash ^ (hash >>> 29)) & mask;
        while (true) {
            int id = ids[slot];
            if (id < 0) {
                return insert ? insert(slot, hash, side, row) : -1;
            }
            if (hashes[slot] == hash && KeyColumns.equal(sides[side], row, sides[repSide[id]], repRow[id])) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
    }

    private int insert(int slot, long hash, int side, int row)
    {
        int id = size++;
        if (id == repSide.length) {
            repSide = Arrays.copyOf(repSide, id * 2);
            repRow = Arrays.copyOf(repRow, id * 2);
        }
        repSide[id] = side;
        repRow[id] = row;
        hashes[slot] = hash;
        ids[slot] = id;
        if (size * 2 > ids.length) {
            grow();
        }
        return id;
    }

    private void grow()
    {
        long[] oldHashes = hashes;
        int[] oldIds = ids;
        hashes = new long[oldIds.length * 2];
        ids = new int[oldIds.length * 2];
        Arrays.fill(ids, -1);
        int mask = ids.length - 1;
        for (int i = 0; i < oldIds.length; i++) {
            if (oldIds[i] >= 0) {
                int slot = (int) (oldHashes[i] ^ (oldHashes[i] >>> 29)) & mask;
                while (ids[slot] >= 0) {
                    slot = (slot + 1) & mask;
                }
                hashes[slot] = oldHashes[i];
                ids[slot] = oldIds[i];
            }
        }
    }
}
