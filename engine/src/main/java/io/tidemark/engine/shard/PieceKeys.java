package io.tidemark.engine.shard;

import io.tidemark.engine.kernel.KeyIds;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.KeyColumns;
import io.tidemark.engine.plan.Side;
import io.tidemark.protocol.NullKeys;
import org.apache.arrow.vector.FieldVector;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * The key ids of one piece of the one-sort plan, each row keyed once: left rows first, so the
 * distinct left keys are ids 0, 1, .. in order of their first row ({@link #leftKeyRows}), which is
 * also the order the carried rows are looked up in; then the piece's right rows. A carried row
 * takes the id of the left key it was looked up for, so it is never keyed itself.
 */
final class PieceKeys
{
    private final int[] left;
    private final int[] right;
    private final int[] leftKeyRows;
    private final int count;

    private PieceKeys(int[] left, int[] right, int[] leftKeyRows, int count)
    {
        this.left = requireNonNull(left, "left is null");
        this.right = requireNonNull(right, "right is null");
        this.leftKeyRows = requireNonNull(leftKeyRows, "leftKeyRows is null");
        this.count = count;
    }

    /**
     * Keys a piece. Left rows that can match nothing (a NULL on key, or a NULL by key under
     * {@code --null-keys never}) get -1 and no id; so do such right rows.
     */
    static PieceKeys of(JoinPlan plan, ShardData left, ShardData right)
    {
        int nl = left.rows();
        int nr = right.rows();
        int[] leftKey = new int[nl];
        int[] rightKey = new int[nr];
        FieldVector on = left.vector(JoinPlan.ON);
        if (!plan.spec().hasBy()) {   // one key: the first left row with an on key stands for it
            int first = 0;
            while (first < nl && on.isNull(first)) {
                first++;
            }
            return new PieceKeys(leftKey, rightKey, first < nl ? new int[] {first} : new int[0], 1);
        }
        KeyColumns lk = new KeyColumns(left.root(), plan.spillByColumns(Side.LEFT));
        KeyColumns rk = new KeyColumns(right.root(), plan.spillByColumns(Side.RIGHT));
        KeyIds ids = new KeyIds(lk, rk);
        boolean never = plan.spec().nullKeys() == NullKeys.NEVER;
        long[] leftHash = left.longs(JoinPlan.HASH);
        int[] keyRows = new int[nl];
        for (int l = 0; l < nl; l++) {
            if (on.isNull(l) || (never && lk.anyNull(l))) {
                leftKey[l] = -1;
                continue;
            }
            int size = ids.size();
            leftKey[l] = ids.id(0, l, leftHash[l], true);
            if (leftKey[l] == size) {
                keyRows[size] = l;
            }
        }
        int leftKeys = ids.size();
        long[] rightHash = right.longs(JoinPlan.HASH);
        for (int r = 0; r < nr; r++) {
            rightKey[r] = never && rk.anyNull(r) ? -1 : ids.id(1, r, rightHash[r], true);
        }
        return new PieceKeys(leftKey, rightKey, Arrays.copyOf(keyRows, leftKeys), ids.size());
    }

    /** One left row per distinct left key (the first), in id order: what the carried rows are looked up for. */
    int[] leftKeyRows()
    {
        return leftKeyRows.clone();
    }

    /**
     * Per key, the last right row of the piece in (on, ordinal) order, in row order: what it leaves
     * to the pieces after it. One pass keeping the greatest (on, ordinal) per key, no sort.
     */
    int[] lastRightRows(ShardData rightRows)
    {
        int n = rightRows.rows();
        long[] on = rightRows.longs(JoinPlan.ON);
        long[] ord = rightRows.longs(JoinPlan.ORD);
        int[] pick = new int[count];
        Arrays.fill(pick, -1);
        for (int r = 0; r < n; r++) {
            int k = right[r];
            if (k < 0) {
                continue;
            }
            int p = pick[k];
            if (p < 0 || on[r] > on[p] || (on[r] == on[p] && ord[r] >= ord[p])) {
                pick[k] = r;
            }
        }
        return PreparedShard.inRowOrder(pick, right);
    }

    /**
     * The key ids of the piece as joined: its left rows, and as right rows its own followed by the
     * carried rows (of the left keys {@code carriedKeyIndex}, indexes into {@link #leftKeyRows}).
     */
    PreparedShard.Keys withCarried(int[] carriedKeyIndex)
    {
        int[] joined = Arrays.copyOf(right, right.length + carriedKeyIndex.length);
        System.arraycopy(carriedKeyIndex, 0, joined, right.length, carriedKeyIndex.length);   // left key i has id i
        return new PreparedShard.Keys(left.clone(), joined, count);
    }
}
