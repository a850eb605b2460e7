package io.tidemark.engine.io;

import org.apache.arrow.memory.ArrowBuf;

import java.util.Arrays;

/**
 * The dictionary ids of one batch's by-key strings, remembered by the rows' key ids: the join
 * numbers each piece's distinct keys once, so a string column that is the by key needs hashing
 * (into {@link ChunkDictionary}) once per distinct key of a batch instead of once per row. The key
 * ids are valid within their batch only ({@link #use}), and the remembered dictionary ids within
 * the dictionary's chunk ({@link #forget}).
 */
final class KeyIdMemo
{
    private int[] ids = new int[0];
    private int[] stamps = new int[0];
    private int stamp = 1;
    /** The batch's key id per row (4 bytes, -1 for none), or null when the batch has none. */
    private ArrowBuf keys;

    /** The next batch's key ids ({@code keys}: 4 bytes per row), or null when it has none. */
    void use(ArrowBuf keys)
    {
        this.keys = keys;
        forget();
    }

    /** Drops every remembered id: a new batch, or the dictionary was emptied. */
    void forget()
    {
        if (stamp == Integer.MAX_VALUE) {
            Arrays.fill(stamps, 0);
            stamp = 0;
        }
        stamp++;
    }

    /** The key id of batch row {@code row}, or -1 when it has none. */
    int key(int row)
    {
        return keys == null ? -1 : keys.getInt(4L * row);
    }

    /** The dictionary id remembered for {@code key} (from {@link #key}, not -1), or -1. */
    int get(int key)
    {
        return key < stamps.length && stamps[key] == stamp ? ids[key] : -1;
    }

    void put(int key, int id)
    {
        if (key >= stamps.length) {
            int size = Math.max(key + 1, stamps.length * 2);
            ids = Arrays.copyOf(ids, size);
            stamps = Arrays.copyOf(stamps, size);
        }
        ids[key] = id;
        stamps[key] = stamp;
    }
}
