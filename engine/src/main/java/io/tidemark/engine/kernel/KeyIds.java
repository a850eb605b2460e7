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
    private final KeySlots table = new KeySlots();
    private int[] repSide = new int[256];
    private int[] repRow = new int[256];

    public KeyIds(KeyColumns left, KeyColumns right)
    {
        this.sides = new KeyColumns[] {left, right};
    }

    public int size()
    {
        return table.size();
    }

    /**
     * The id of a row's key; a new id when {@code insert}, else -1 for a key not seen yet.
     * {@code side} is 0 for left, 1 for right.
     */
    public int id(int side, int row, long hash, boolean insert)
    {
        for (int slot = table.start(hash); ; slot = table.next(slot)) {
            int id = table.key(slot);
            if (id < 0) {
                return insert ? insert(hash, side, row) : -1;
            }
            if (table.hash(slot) == hash && KeyColumns.equal(sides[side], row, sides[repSide[id]], repRow[id])) {
                return id;
            }
        }
    }

    private int insert(long hash, int side, int row)
    {
        int id = table.add(hash);
        if (id == repSide.length) {
            repSide = Arrays.copyOf(repSide, id * 2);
            repRow = Arrays.copyOf(repRow, id * 2);
        }
        repSide[id] = side;
        repRow[id] = row;
        return id;
    }
}
