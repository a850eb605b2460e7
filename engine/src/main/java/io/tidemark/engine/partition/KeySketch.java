package io.tidemark.engine.partition;

import io.tidemark.engine.plan.Hashing;

import java.util.Arrays;

/**
 * About how many distinct keys a bucket holds, from their hashes: the {@link #K} smallest distinct
 * mixed hashes seen (a k-minimum-values sketch, mergeable and independent of row order). 512 bytes.
 */
public final class KeySketch
{
    static final int K = 64;

    private final long[] smallest = new long[K];
    private int size;

    public void add(long keyHash)
    {
        addMixed(Hashing.mix(keyHash) >>> 1);   // uniform over [0, 2^63)
    }

    /** Adds every key {@code other} holds: the sketch of both key sets. */
    public void merge(KeySketch other)
    {
        for (int i = 0; i < other.size; i++) {
            addMixed(other.smallest[i]);
        }
    }

    /** The estimated number of distinct keys: exact below {@link #K}. */
    public long distinct()
    {
        if (size < K) {
            return size;
        }
        return (long) ((K - 1) / (smallest[K - 1] / 0x1p63));
    }

    private void addMixed(long v)
    {
        if (size == K && v >= smallest[K - 1]) {
            return;
        }
        int at = Arrays.binarySearch(smallest, 0, size, v);
        if (at >= 0) {
            return;
        }
        at = -at - 1;
        int moved = Math.min(size, K - 1) - at;
        if (moved > 0) {
            System.arraycopy(smallest, at, smallest, at + 1, moved);
        }
        smallest[at] = v;
        size = Math.min(K, size + 1);
    }

}
