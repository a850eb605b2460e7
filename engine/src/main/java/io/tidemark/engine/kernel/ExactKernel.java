package io.tidemark.engine.kernel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The equality join of one shard on (by key, on key): right rows grouped by key id, each left row
 * binary-searches its key's block for its on value. Before anything is written the caller reads the
 * output row count and the duplicated keys, to refuse an explosion or a violated {@code --validate}.
 */
public final class ExactKernel
{
    /** A duplicated key: how many rows share it on one side, and one of them. */
    public record Duplicate(boolean right, int rows, int row) {}

    private final int[] leftSorted;
    private final int[] start;
    private final int[] count;
    private final long matchedRows;
    private final List<Duplicate> leftDuplicates;
    private final List<Duplicate> rightDuplicates;
    private final long leftDuplicateKeys;
    private final long rightDuplicateKeys;
    private final int[] rightGrouped;

    public ExactKernel(int[] leftSorted, long[] lOn, int[] lKey, int[] rightSorted, long[] rOn, int[] rKey, int keys)
    {
        this.leftSorted = leftSorted;
        int[] rs = RadixSort.sortByInt(rightSorted, rKey, keys);
        this.rightGrouped = rs;
        int[] keyStart = new int[keys + 1];
        for (int r : rs) {
            keyStart[rKey[r] + 1]++;
        }
        for (int k = 0; k < keys; k++) {
            keyStart[k + 1] += keyStart[k];
        }
        start = new int[leftSorted.length];
        count = new int[leftSorted.length];
        long matched = 0;
        for (int i = 0; i < leftSorted.length; i++) {
            int l = leftSorted[i];
            int k = lKey[l];
            if (k < 0) {
                continue;
            }
            long t = lOn[l];
            int lo = keyStart[k];
            int hi = keyStart[k + 1];
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (rOn[rs[mid]] < t) {
                    lo = mid + 1;
                }
                else {
                    hi = mid;
                }
            }
            int end = lo;
            while (end < keyStart[k + 1] && rOn[rs[end]] == t) {
                end++;
            }
            start[i] = lo;
            count[i] = end - lo;
            matched += end - lo;
        }
        matchedRows = matched;
        List<Duplicate> rightDups = new ArrayList<>();
        rightDuplicateKeys = duplicates(rs, rOn, rKey, true, rightDups);
        int[] lsByKey = RadixSort.sortByInt(filterKeyed(leftSorted, lKey), lKey, keys);
        List<Duplicate> leftDups = new ArrayList<>();
        leftDuplicateKeys = duplicates(lsByKey, lOn, lKey, false, leftDups);
        leftDuplicates = top(leftDups);
        rightDuplicates = top(rightDups);
    }

    private static int[] filterKeyed(int[] rows, int[] key)
    {
        return java.util.Arrays.stream(rows).filter(r -> key[r] >= 0).toArray();
    }

    private static long duplicates(int[] grouped, long[] on, int[] key, boolean right, List<Duplicate> out)
    {
        long groups = 0;
        int i = 0;
        while (i < grouped.length) {
            int j = i + 1;
            while (j < grouped.length && key[grouped[j]] == key[grouped[i]] && on[grouped[j]] == on[grouped[i]]) {
                j++;
            }
            if (j - i > 1) {
                groups++;
                out.add(new Duplicate(right, j - i, grouped[i]));
            }
            i = j;
        }
        return groups;
    }

    private static List<Duplicate> top(List<Duplicate> all)
    {
        all.sort(Comparator.comparingInt(Duplicate::rows).reversed());
        return List.copyOf(all.subList(0, Math.min(5, all.size())));
    }

    public long matchedRows()
    {
        return matchedRows;
    }

    /** Left rows (in sorted position) with no right row. */
    public long unmatchedLeftRows()
    {
        long n = 0;
        for (int c : count) {
            if (c == 0) {
                n++;
            }
        }
        return n;
    }

    public List<Duplicate> leftDuplicates()
    {
        return leftDuplicates;
    }

    public List<Duplicate> rightDuplicates()
    {
        return rightDuplicates;
    }

    public long leftDuplicateKeys()
    {
        return leftDuplicateKeys;
    }

    public long rightDuplicateKeys()
    {
        return rightDuplicateKeys;
    }

    /** Matches of the left row at sorted position i: right rows {@code rightAt(start(i) .. start(i)+count(i))}. */
    public int count(int i)
    {
        return count[i];
    }

    public int start(int i)
    {
        return start[i];
    }

    public int rightAt(int position)
    {
        return rightGrouped[position];
    }
}
