package io.tidemark.engine.kernel;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RadixSortTest
{
    @Test
    void sortsByKeyThenOrdinalLikeAComparisonSort()
    {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            int n = random.nextInt(3000);
            long[] key = new long[n];
            long[] ord = new long[n];
            for (int i = 0; i < n; i++) {
                key[i] = round % 3 == 0 ? random.nextLong() : random.nextInt(20) - 10;
                ord[i] = random.nextInt(1_000_000) * 1_000_000L + i;
            }
            int[] rows = IntStream.range(0, n).toArray();
            int[] expected = IntStream.range(0, n).boxed()
                    .sorted(Comparator.<Integer>comparingLong(i -> key[i]).thenComparingLong(i -> ord[i]))
                    .mapToInt(Integer::intValue).toArray();
            assertThat(RadixSort.sort(rows, key, ord)).containsExactly(expected);
        }
    }

    @Test
    void extremesDoNotOverflow()
    {
        long[] key = {Long.MAX_VALUE, Long.MIN_VALUE, 0, -1, 1};
        long[] ord = new long[5];
        int[] sorted = RadixSort.sort(new int[] {0, 1, 2, 3, 4}, key, ord);
        assertThat(Arrays.stream(sorted).mapToLong(i -> key[i]).toArray()).containsExactly(Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE);
    }
}
