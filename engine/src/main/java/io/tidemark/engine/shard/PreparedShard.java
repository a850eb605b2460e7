package io.tidemark.engine.shard;

import io.tidemark.engine.kernel.KeyIds;
import io.tidemark.engine.kernel.RadixSort;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.KeyColumns;
import io.tidemark.engine.plan.Side;
import io.tidemark.protocol.NullKeys;

import org.apache.arrow.vector.FieldVector;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * One shard's keys as primitive arrays, ready for a kernel: on keys, dense key ids, and row orders
 * sorted by (on key, input ordinal). Left rows with a NULL on key are kept apart, in input order.
 */
public final class PreparedShard
{
    final long[] leftOn;
    final long[] rightOn;
    final int[] leftKey;
    final int[] rightKey;
    final int keys;
    final int[] leftSorted;
    final int[] leftNullOn;
    final int[] rightSorted;

    /**
     * By-key ids of a shard's rows, equal for equal keys: one per left and right row (-1 for a row
     * that can match nothing), and how many ids there are.
     */
    public record Keys(int[] left, int[] right, int count)
    {
        public Keys
        {
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
        }
    }

    PreparedShard(JoinPlan plan, ShardData left, ShardData right, boolean keepLeftKeys)
    {
        this(plan, left, right, keys(plan, left, right, keepLeftKeys));
    }

    /** A shard whose key ids are known already ({@code keys}: one per row of {@code left} and {@code right}). */
    PreparedShard(JoinPlan plan, ShardData left, ShardData right, Keys keys)
    {
        int nl = left == null ? 0 : left.rows();
        int nr = right.rows();
        if (keys.left().length != nl || keys.right().length != nr) {
            throw new IllegalArgumentException("key ids for " + keys.left().length + " + " + keys.right().length + " rows, not " + nl + " + " + nr);
        }
        leftOn = left == null ? new long[0] : left.longs(JoinPlan.ON);
        rightOn = right.longs(JoinPlan.ON);
        long[] leftOrd = left == null ? new long[0] : left.longs(JoinPlan.ORD);
        long[] rightOrd = right.longs(JoinPlan.ORD);
        leftKey = keys.left();
        rightKey = keys.right();
        this.keys = keys.count();
        FieldVector leftOnVector = left == null ? null : left.vector(JoinPlan.ON);
        int[] withOn = new int[nl];
        int[] withoutOn = new int[nl];
        int a = 0;
        int b = 0;
        for (int l = 0; l < nl; l++) {
            if (leftOnVector.isNull(l)) {
                withoutOn[b++] = l;
            }
            else {
                withOn[a++] = l;
            }
        }
        leftSorted = RadixSort.sort(Arrays.copyOf(withOn, a), leftOn, leftOrd);
        leftNullOn = RadixSort.sort(Arrays.copyOf(withoutOn, b), leftOrd, leftOrd);
        int[] all = new int[nr];
        for (int r = 0; r < nr; r++) {
            all[r] = r;
        }
        rightSorted = RadixSort.sort(all, rightOn, rightOrd);
    }

    /**
     * Key ids from the by columns: right rows first (each key gets an id), then left rows (a key
     * no right row has gets one only when {@code keepLeftKeys}, else -1). Equal hashes are checked
     * for equal keys, so a 64-bit collision never joins two keys.
     */
    static Keys keys(JoinPlan plan, ShardData left, ShardData right, boolean keepLeftKeys)
    {
        int nl = left == null ? 0 : left.rows();
        int nr = right.rows();
        int[] leftKey = new int[nl];
        int[] rightKey = new int[nr];
        if (!plan.spec().hasBy()) {
            return new Keys(leftKey, rightKey, 1);
        }
        KeyColumns lk = left == null ? null : new KeyColumns(left.root(), plan.spillByColumns(Side.LEFT));
        KeyColumns rk = new KeyColumns(right.root(), plan.spillByColumns(Side.RIGHT));
        KeyIds ids = new KeyIds(lk, rk);
        boolean never = plan.spec().nullKeys() == NullKeys.NEVER;
        long[] rightHash = right.longs(JoinPlan.HASH);
        for (int r = 0; r < nr; r++) {
            rightKey[r] = never && rk.anyNull(r) ? -1 : ids.id(1, r, rightHash[r], true);
        }
        long[] leftHash = left == null ? new long[0] : left.longs(JoinPlan.HASH);
        for (int l = 0; l < nl; l++) {
            leftKey[l] = never && lk.anyNull(l) ? -1 : ids.id(0, l, leftHash[l], keepLeftKeys);
        }
        return new Keys(leftKey, rightKey, ids.size());
    }

    /** Per key, the last (or first) right row in (on, ordinal) order: what a time piece carries to its neighbour. In row order. */
    int[] extremePerKey(boolean last)
    {
        return extremePerKey(rightSorted, rightKey, keys, last);
    }

    /** As {@link #extremePerKey(boolean)}, for rows {@code sorted} in (on, ordinal) order with key ids {@code key} (-1: none). */
    static int[] extremePerKey(int[] sorted, int[] key, int keys, boolean last)
    {
        int[] pick = new int[keys];
        Arrays.fill(pick, -1);
        int n = sorted.length;
        for (int i = 0; i < n; i++) {
            int r = sorted[last ? i : n - 1 - i];
            if (key[r] < 0) {
                continue;
            }
            pick[key[r]] = r;
        }
        return inRowOrder(pick, key);
    }

    /** The rows {@code pick} holds (one per key, -1 for none), ascending: a pass over the rows' key ids {@code key}. */
    static int[] inRowOrder(int[] pick, int[] key)
    {
        int count = 0;
        for (int p : pick) {
            if (p >= 0) {
                count++;
            }
        }
        int[] rows = new int[count];
        int at = 0;
        for (int r = 0; r < key.length && at < count; r++) {
            int k = key[r];
            if (k >= 0 && pick[k] == r) {
                rows[at++] = r;
            }
        }
        return rows;
    }
}
