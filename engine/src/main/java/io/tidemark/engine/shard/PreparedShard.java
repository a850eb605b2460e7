package io.tidemark.engine.shard;

import io.tidemark.engine.kernel.KeyIds;
import io.tidemark.engine.kernel.RadixSort;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.KeyColumns;
import io.tidemark.engine.plan.Side;
import io.tidemark.protocol.NullKeys;

import org.apache.arrow.vector.FieldVector;

import java.util.Arrays;

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
    final KeyIds ids;

    PreparedShard(JoinPlan plan, ShardData left, ShardData right, boolean keepLeftKeys)
    {
        int nl = left == null ? 0 : left.rows();
        int nr = right.rows();
        leftOn = left == null ? new long[0] : left.longs(JoinPlan.ON);
        rightOn = right.longs(JoinPlan.ON);
        long[] leftOrd = left == null ? new long[0] : left.longs(JoinPlan.ORD);
        long[] rightOrd = right.longs(JoinPlan.ORD);
        leftKey = new int[nl];
        rightKey = new int[nr];
        if (!plan.spec().hasBy()) {
            ids = null;
            keys = 1;
        }
        else {
            KeyColumns lk = left == null ? null : new KeyColumns(left.root(), plan.spillByColumns(Side.LEFT));
            KeyColumns rk = new KeyColumns(right.root(), plan.spillByColumns(Side.RIGHT));
            ids = new KeyIds(lk, rk);
            boolean never = plan.spec().nullKeys() == NullKeys.NEVER;
            long[] rightHash = right.longs(JoinPlan.HASH);
            for (int r = 0; r < nr; r++) {
                rightKey[r] = never && rk.anyNull(r) ? -1 : ids.id(1, r, rightHash[r], true);
            }
            long[] leftHash = left == null ? new long[0] : left.longs(JoinPlan.HASH);
            for (int l = 0; l < nl; l++) {
                leftKey[l] = never && lk.anyNull(l) ? -1 : ids.id(0, l, leftHash[l], keepLeftKeys);
            }
            keys = ids.size();
        }
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

    /** Per key, the last (or first) right row in (on, ordinal) order: what a time piece carries to its neighbour. In row order. */
    int[] extremePerKey(boolean last)
    {
        int[] pick = new int[keys];
        Arrays.fill(pick, -1);
        int n = rightSorted.length;
        for (int i = 0; i < n; i++) {
            int r = rightSorted[last ? i : n - 1 - i];
            if (rightKey[r] < 0) {
                continue;
            }
            pick[rightKey[r]] = r;
        }
        return Arrays.stream(pick).filter(r -> r >= 0).sorted().toArray();
    }
}
