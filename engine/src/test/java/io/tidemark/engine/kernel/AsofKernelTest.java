package io.tidemark.engine.kernel;

import io.tidemark.engine.plan.OnKey;
import io.tidemark.engine.plan.Tolerance;
import io.tidemark.protocol.Direction;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel's edge cases, one rule at a time (anchors-asof.md section 2.7). Rows are given in
 * input order; the test sorts them the way the engine does (by on key, then input ordinal).
 */
class AsofKernelTest
{
    private static final int NO = -1;

    /** Runs the kernel on (time, key) rows; returns, per left row in input order, the matched right row or -1. */
    private static int[] join(Direction direction, boolean allowExact, Tolerance tolerance, long[] lt, int[] lk, long[] rt, int[] rk)
    {
        int[] ls = RadixSort.sort(IntStream.range(0, lt.length).toArray(), lt, ordinals(lt.length));
        int[] rs = RadixSort.sort(IntStream.range(0, rt.length).toArray(), rt, ordinals(rt.length));
        int keys = 1 + Math.max(IntStream.of(lk).max().orElse(0), IntStream.of(rk).max().orElse(0));
        int[] sortedMatch = new AsofKernel(direction, allowExact, tolerance, false).match(ls, lt, lk, rs, rt, rk, keys);
        int[] out = new int[lt.length];
        for (int i = 0; i < ls.length; i++) {
            out[ls[i]] = sortedMatch[i];
        }
        return out;
    }

    private static long[] ordinals(int n)
    {
        return IntStream.range(0, n).asLongStream().toArray();
    }

    private static int[] zeros(int n)
    {
        return new int[n];
    }

    private static Tolerance tolerance(String text)
    {
        return Tolerance.parse(text, OnKey.resolve("l", field(), "r", field())[0], "t");
    }

    private static org.apache.arrow.vector.types.pojo.Field field()
    {
        return new org.apache.arrow.vector.types.pojo.Field("t",
                org.apache.arrow.vector.types.pojo.FieldType.nullable(new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true)), null);
    }

    @Test
    void c1BackwardTiesTakeTheLastRightRowInInputOrder()
    {
        long[] rt = {2, 2, 2};
        assertThat(join(Direction.BACKWARD, true, null, new long[] {1, 2, 3}, zeros(3), rt, zeros(3))).containsExactly(NO, 2, 2);
    }

    @Test
    void c1ForwardTiesTakeTheFirstRightRowInInputOrder()
    {
        long[] rt = {2, 2, 2};
        assertThat(join(Direction.FORWARD, true, null, new long[] {1, 2, 3}, zeros(3), rt, zeros(3))).containsExactly(0, 0, NO);
    }

    @Test
    void c1TiesFollowInputOrderNotSortedPosition()
    {
        // right rows arrive unsorted: the tie at t=5 is rows 0 and 2 in input order
        long[] rt = {5, 9, 5, 1};
        assertThat(join(Direction.BACKWARD, true, null, new long[] {6}, zeros(1), rt, zeros(4))).containsExactly(2);
        assertThat(join(Direction.FORWARD, true, null, new long[] {4}, zeros(1), rt, zeros(4))).containsExactly(0);
    }

    @Test
    void c2NearestPrefersBackwardOnEqualDistance()
    {
        long[] rt = {3, 3, 7, 7};
        assertThat(join(Direction.NEAREST, true, null, new long[] {5}, zeros(1), rt, zeros(4))).containsExactly(1);
        assertThat(join(Direction.NEAREST, true, null, new long[] {6}, zeros(1), rt, zeros(4))).containsExactly(2);
        assertThat(join(Direction.NEAREST, true, null, new long[] {1, 2}, zeros(2), new long[] {2, 2, 2}, zeros(3))).containsExactly(0, 2);
    }

    @Test
    void c3ToleranceIsInclusiveInEveryDirection()
    {
        Tolerance three = tolerance("3");
        assertThat(join(Direction.BACKWARD, true, three, new long[] {10, 11}, zeros(2), new long[] {7}, zeros(1))).containsExactly(0, NO);
        assertThat(join(Direction.FORWARD, true, three, new long[] {10, 9}, zeros(2), new long[] {13}, zeros(1))).containsExactly(0, NO);
        assertThat(join(Direction.NEAREST, true, three, new long[] {10, 17}, zeros(2), new long[] {13}, zeros(1))).containsExactly(0, NO);
        assertThat(join(Direction.BACKWARD, true, tolerance("0"), new long[] {7, 8}, zeros(2), new long[] {7}, zeros(1))).containsExactly(0, NO);
    }

    @Test
    void c3NegativeToleranceIsRefused()
    {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tolerance("-1")).hasMessageContaining("must be positive");
    }

    @Test
    void c4NoExactMatchesMakesComparisonsStrict()
    {
        long[] rt = {4, 5, 6};
        assertThat(join(Direction.BACKWARD, false, null, new long[] {5}, zeros(1), rt, zeros(3))).containsExactly(0);
        assertThat(join(Direction.FORWARD, false, null, new long[] {5}, zeros(1), rt, zeros(3))).containsExactly(2);
        assertThat(join(Direction.NEAREST, false, null, new long[] {5}, zeros(1), rt, zeros(3))).containsExactly(0);
        assertThat(join(Direction.BACKWARD, false, tolerance("0"), new long[] {5}, zeros(1), rt, zeros(3))).containsExactly(NO);
    }

    @Test
    void keysNeverCrossAndMinusOneNeverMatches()
    {
        int[] lk = {0, 1, -1};
        int[] rk = {1, 0, -1};
        assertThat(join(Direction.BACKWARD, true, null, new long[] {5, 5, 5}, lk, new long[] {1, 2, 3}, rk)).containsExactly(1, 0, NO);
    }

    @Test
    void emptySides()
    {
        assertThat(join(Direction.NEAREST, true, null, new long[] {1, 2}, zeros(2), new long[0], new int[0])).containsExactly(NO, NO);
        assertThat(join(Direction.BACKWARD, true, null, new long[0], new int[0], new long[] {1}, zeros(1))).isEmpty();
    }

    @Test
    void oneHotKeyWithManyTies()
    {
        int n = 10_000;
        long[] rt = new long[n];
        long[] lt = new long[n];
        for (int i = 0; i < n; i++) {
            rt[i] = i / 100;
            lt[i] = (n - 1 - i) / 100;
        }
        int[] m = join(Direction.BACKWARD, true, null, lt, zeros(n), rt, zeros(n));
        for (int i = 0; i < n; i++) {
            assertThat(m[i]).isEqualTo((int) (lt[i] * 100 + 99));
        }
    }

    @Test
    void floatKeysCompareAsDoublesIncludingNegativesAndSignedZero()
    {
        double[] right = {-2.5, -0.0, 1.5};
        double[] left = {-3.0, -1.0, 0.0, 2.0};
        long[] rt = new long[right.length];
        long[] lt = new long[left.length];
        for (int i = 0; i < right.length; i++) {
            rt[i] = OnKey.sortable(right[i]);
        }
        for (int i = 0; i < left.length; i++) {
            lt[i] = OnKey.sortable(left[i]);
        }
        int[] ls = RadixSort.sort(IntStream.range(0, lt.length).toArray(), lt, ordinals(lt.length));
        int[] rs = RadixSort.sort(IntStream.range(0, rt.length).toArray(), rt, ordinals(rt.length));
        int[] m = new AsofKernel(Direction.BACKWARD, true, null, true).match(ls, lt, zeros(4), rs, rt, zeros(3), 1);
        assertThat(m).containsExactly(NO, 0, 1, 2);
        int[] near = new AsofKernel(Direction.NEAREST, true, null, true).match(ls, lt, zeros(4), rs, rt, zeros(3), 1);
        assertThat(near).containsExactly(0, 1, 1, 2);
    }
}
