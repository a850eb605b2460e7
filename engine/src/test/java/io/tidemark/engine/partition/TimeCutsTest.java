package io.tidemark.engine.partition;

import io.tidemark.engine.shard.PieceSplitter;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The table lookup gives the binary search's range for every key: on cuts, beside them, at the extremes, over any span. */
class TimeCutsTest
{
    @Test
    void sameRangeAsABinarySearch()
    {
        Random random = new Random(3);
        long[][] cases = {
                {},
                {5},
                {Long.MIN_VALUE, 0, Long.MAX_VALUE},
                {Long.MIN_VALUE + 1, Long.MAX_VALUE - 1},
                random.longs(200, 0, 1_000_000_000_000L).sorted().distinct().toArray(),
                random.longs(5000, -1_000, 1_000).sorted().distinct().toArray(),
                LongStream.range(0, 300).map(i -> i * i * i * 1_000_003L).toArray()};
        for (long[] cuts : cases) {
            TimeCuts table = new TimeCuts(cuts);
            long[] keys = LongStream.concat(Arrays.stream(cuts).flatMap(c -> LongStream.of(c - 1, c, c + 1)),
                    LongStream.concat(random.longs(20_000), random.longs(20_000, -2_000_000, 2_000_000_000_000L))).toArray();
            for (long key : LongStream.concat(Arrays.stream(keys), LongStream.of(Long.MIN_VALUE, Long.MAX_VALUE, 0)).toArray()) {
                assertEquals(PieceSplitter.pieceOf(cuts, key), table.rangeOf(key), "key " + key + " among " + cuts.length + " cuts");
            }
            assertEquals(cuts.length + 1, table.ranges());
        }
    }

    @Test
    void cutsMustAscend()
    {
        assertThrows(IllegalArgumentException.class, () -> new TimeCuts(new long[] {3, 3}));
    }
}
