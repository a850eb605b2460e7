package io.tidemark.engine.io;

import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Values written by parquet-java's hybrid encoder read back the same, by runs, singly and in bulk. */
class HybridDecoderTest
{
    @Test
    void everyBitWidthRoundTrips()
            throws IOException
    {
        Random random = new Random(11);
        for (int width = 0; width <= 32; width++) {
            int[] values = values(random, width, 5_003);
            ByteBuffer encoded = encode(values, width);

            int[] bulk = new int[values.length];
            new HybridDecoder(encoded.duplicate(), width).read(bulk, values.length);
            assertThat(bulk).as("bulk, width " + width).isEqualTo(values);

            HybridDecoder single = new HybridDecoder(encoded.duplicate(), width);
            for (int i = 0; i < values.length; i++) {
                assertThat(single.next()).as("value " + i + ", width " + width).isEqualTo(values[i]);
            }

            HybridDecoder runs = new HybridDecoder(encoded.duplicate(), width);
            int at = 0;
            while (at < values.length) {
                int n = runs.run(Math.min(100, values.length - at));
                assertThat(n).isPositive();
                for (int j = at; j < at + n; j++) {
                    assertThat(values[j]).as("run value at " + j + ", width " + width).isEqualTo(runs.value());
                }
                at += n;
            }
        }
    }

    @Test
    void aLongRepeatIsOneRun()
            throws IOException
    {
        int[] values = new int[20_000];
        java.util.Arrays.fill(values, 1);
        HybridDecoder decoder = new HybridDecoder(encode(values, 1), 1);
        assertThat(decoder.run(20_000)).isEqualTo(20_000);
        assertThat(decoder.value()).isEqualTo(1);
    }

    @Test
    void aTruncatedStreamFailsWithAMessage()
            throws IOException
    {
        int[] values = new int[1000];
        java.util.Arrays.fill(values, 7);
        ByteBuffer encoded = encode(values, 3);
        ByteBuffer cut = ByteBuffer.wrap(java.util.Arrays.copyOf(encoded.array(), 1));   // the header without its value
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HybridDecoder(cut, 3).read(new int[1000], 1000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("truncated or corrupt");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HybridDecoder(ByteBuffer.allocate(0), 3).next())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("truncated or corrupt");
    }

    /** Stretches of one repeated value (RLE runs) between random ones (bit-packed groups). */
    private static int[] values(Random random, int width, int n)
    {
        long bound = 1L << width;
        int[] values = new int[n];
        int i = 0;
        while (i < n) {
            int v = (int) (random.nextLong() & (bound - 1));
            int length = random.nextInt(4) == 0 ? 1 + random.nextInt(60) : 1;
            for (int j = 0; j < length && i < n; j++) {
                values[i++] = length == 1 ? (int) (random.nextLong() & (bound - 1)) : v;
            }
        }
        return values;
    }

    private static ByteBuffer encode(int[] values, int width)
            throws IOException
    {
        RunLengthBitPackingHybridEncoder encoder = new RunLengthBitPackingHybridEncoder(width, 64, 1 << 20, new HeapByteBufferAllocator());
        for (int v : values) {
            encoder.writeInt(v);
        }
        return ByteBuffer.wrap(encoder.toBytes().toByteArray());
    }
}
