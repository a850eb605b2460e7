package io.tidemark.engine.kernel;

/**
 * Stable LSD radix sort of row indices by (key, ordinal), both longs: O(n) passes of 11 bits over
 * only the bit range the values actually span. No comparisons, no boxing.
 */
public final class RadixSort
{
    private static final int BITS = 11;
    private static final int RADIX = 1 << BITS;

    private RadixSort() {}

    /** Returns {@code rows} reordered by (key[row], ord[row]) ascending (signed). */
    public static int[] sort(int[] rows, long[] key, long[] ord)
    {
        int[] a = rows.clone();
        int[] b = new int[a.length];
        int[][] buffers = {a, b};
        int current = 0;
        current = byColumn(buffers, current, ord);
        current = byColumn(buffers, current, key);
        return buffers[current];
    }

    /** Stable sort of {@code rows} by one int column in [0, bound). */
    public static int[] sortByInt(int[] rows, int[] column, int bound)
    {
        int[] starts = new int[bound + 1];
        for (int r : rows) {
            starts[column[r] + 1]++;
        }
        for (int i = 0; i < bound; i++) {
            starts[i + 1] += starts[i];
        }
        int[] out = new int[rows.length];
        for (int r : rows) {
            out[starts[column[r]]++] = r;
        }
        return out;
    }

    private static int byColumn(int[][] buffers, int current, long[] column)
    {
        int[] src = buffers[current];
        if (src.length < 2) {
            return current;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int r : src) {
            long v = column[r];
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        long span = max - min;   // unsigned when it overflows
        int bits = 64 - Long.numberOfLeadingZeros(span);
        int[] counts = new int[RADIX];
        for (int shift = 0; shift < bits; shift += BITS) {
            src = buffers[current];
            int[] dst = buffers[1 - current];
            java.util.Arrays.fill(counts, 0);
            for (int r : src) {
                counts[(int) (((column[r] - min) >>> shift) & (RADIX - 1))]++;
            }
            int sum = 0;
            for (int i = 0; i < RADIX; i++) {
                int c = counts[i];
                counts[i] = sum;
                sum += c;
            }
            for (int r : src) {
                dst[counts[(int) (((column[r] - min) >>> shift) & (RADIX - 1))]++] = r;
            }
            current = 1 - current;
        }
        return current;
    }
}
