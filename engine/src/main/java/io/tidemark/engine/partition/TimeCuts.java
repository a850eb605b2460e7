package io.tidemark.engine.partition;

import java.util.Arrays;

/**
 * The time range of an on key among ascending cuts: how many cuts are at or below it, as a binary
 * search would say, but found through a table over the cuts' span (a shift, one table read and
 * usually no step), not eight dependent compares per row.
 */
public final class TimeCuts
{
    private static final int SLOTS = 4096;

    private final long[] cuts;
    private final long low;
    private final int shift;
    /** Per slot of the span: the range of the slot's first key. Null when the span overflows a long. */
    private final int[] first;

    /** {@code cuts}: strictly ascending. */
    public TimeCuts(long[] cuts)
    {
        this.cuts = cuts.clone();
        for (int i = 1; i < cuts.length; i++) {
            if (cuts[i] <= cuts[i - 1]) {
                throw new IllegalArgumentException("cuts not strictly ascending at " + i);
            }
        }
        long span = cuts.length == 0 ? 0 : cuts[cuts.length - 1] - cuts[0];
        if (cuts.length == 0 || span < 0) {
            this.low = 0;
            this.shift = 0;
            this.first = null;
            return;
        }
        this.low = cuts[0];
        int s = 0;
        while ((span >>> s) >= SLOTS) {
            s++;
        }
        this.shift = s;
        int slots = (int) (span >>> s) + 1;
        this.first = new int[slots];
        int range = 0;
        for (int slot = 0; slot < slots; slot++) {
            long start = low + ((long) slot << s);
            while (range < cuts.length && cuts[range] <= start) {
                range++;
            }
            first[slot] = range;
        }
    }

    public int ranges()
    {
        return cuts.length + 1;
    }

    /** How many cuts are at or below {@code key}. */
    public int rangeOf(long key)
    {
        if (first == null) {
            int i = Arrays.binarySearch(cuts, key);
            return i >= 0 ? i + 1 : -i - 1;
        }
        if (key < low) {
            return 0;
        }
        long slot = (key - low) >>> shift;   // key - low may overflow only beyond the last cut
        if (slot >= first.length || key - low < 0) {
            return cuts.length;
        }
        int range = first[(int) slot];
        while (range < cuts.length && cuts[range] <= key) {
            range++;
        }
        return range;
    }
}
