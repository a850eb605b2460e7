package io.tidemark.engine.kernel;

import io.tidemark.engine.plan.OnKey;
import io.tidemark.engine.plan.Tolerance;
import io.tidemark.protocol.Direction;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * The as-of merge of one shard, on primitive arrays. Left and right rows come sorted by (on key,
 * input ordinal); keys are dense ids (-1 never matches). One pass per direction with a "last right
 * row per key" array:
 * <ul>
 * <li>backward walks up; a right row at the same key as a left row counts when exact matches are
 * allowed; ties on the right resolve to the last row in right input order (C1);</li>
 * <li>forward walks down, so ties resolve to the first right row in input order (C1);</li>
 * <li>nearest takes both and prefers backward on equal distance (C2);</li>
 * <li>tolerance is inclusive (C3); exact matches excluded make both comparisons strict (C4).</li>
 * </ul>
 */
public final class AsofKernel
{
    private final Direction direction;
    private final boolean allowExact;
    private final Tolerance tolerance;
    private final boolean floating;

    public AsofKernel(Direction direction, boolean allowExact, Tolerance tolerance, boolean floating)
    {
        this.direction = requireNonNull(direction, "direction is null");
        this.allowExact = allowExact;
        this.tolerance = tolerance;
        this.floating = floating;
    }

    /**
     * For each left row in {@code leftSorted} order, the matching right row or -1.
     *
     * @param leftSorted left rows with a non-null on key, sorted by (on, ordinal)
     * @param rightSorted right rows, sorted by (on, ordinal)
     */
    public int[] match(int[] leftSorted, long[] leftOn, int[] leftKey, int[] rightSorted, long[] rightOn, int[] rightKey, int keys)
    {
        int[] result;
        switch (direction) {
            case BACKWARD:
                result = backward(leftSorted, leftOn, leftKey, rightSorted, rightOn, rightKey, keys);
                break;
            case FORWARD:
                result = forward(leftSorted, leftOn, leftKey, rightSorted, rightOn, rightKey, keys);
                break;
            case NEAREST:
                result = nearest(leftSorted, leftOn, leftKey, rightSorted, rightOn, rightKey, keys);
                break;
            default:
                throw new AssertionError(direction);
        }
        if (tolerance != null) {
            for (int i = 0; i < result.length; i++) {
                int m = result[i];
                if (m >= 0 && !tolerance.within(leftOn[leftSorted[i]], rightOn[m])) {
                    result[i] = -1;
                }
            }
        }
        return result;
    }

    private int[] backward(int[] ls, long[] lOn, int[] lKey, int[] rs, long[] rOn, int[] rKey, int keys)
    {
        int[] last = new int[keys];
        Arrays.fill(last, -1);
        int[] out = new int[ls.length];
        int r = 0;
        for (int i = 0; i < ls.length; i++) {
            int l = ls[i];
            long t = lOn[l];
            while (r < rs.length && (allowExact ? rOn[rs[r]] <= t : rOn[rs[r]] < t)) {
                int k = rKey[rs[r]];
                if (k >= 0) {
                    last[k] = rs[r];
                }
                r++;
            }
            int k = lKey[l];
            out[i] = k >= 0 ? last[k] : -1;
        }
        return out;
    }

    private int[] forward(int[] ls, long[] lOn, int[] lKey, int[] rs, long[] rOn, int[] rKey, int keys)
    {
        int[] first = new int[keys];
        Arrays.fill(first, -1);
        int[] out = new int[ls.length];
        int r = rs.length - 1;
        for (int i = ls.length - 1; i >= 0; i--) {
            int l = ls[i];
            long t = lOn[l];
            while (r >= 0 && (allowExact ? rOn[rs[r]] >= t : rOn[rs[r]] > t)) {
                int k = rKey[rs[r]];
                if (k >= 0) {
                    first[k] = rs[r];
                }
                r--;
            }
            int k = lKey[l];
            out[i] = k >= 0 ? first[k] : -1;
        }
        return out;
    }

    private int[] nearest(int[] ls, long[] lOn, int[] lKey, int[] rs, long[] rOn, int[] rKey, int keys)
    {
        int[] back = backward(ls, lOn, lKey, rs, rOn, rKey, keys);
        int[] fwd = forward(ls, lOn, lKey, rs, rOn, rKey, keys);
        for (int i = 0; i < ls.length; i++) {
            int b = back[i];
            int f = fwd[i];
            if (b < 0) {
                back[i] = f;
            }
            else if (f >= 0 && closerAhead(lOn[ls[i]], rOn[b], rOn[f])) {
                back[i] = f;
            }
        }
        return back;
    }

    /** Whether the forward candidate is strictly closer than the backward one (ties go backward). */
    private boolean closerAhead(long t, long before, long after)
    {
        if (floating) {
            double x = OnKey.unsortable(t);
            return OnKey.unsortable(after) - x < x - OnKey.unsortable(before);
        }
        return Long.compareUnsigned(after - t, t - before) < 0;
    }
}
