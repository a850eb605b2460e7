package io.tidemark.engine.io;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Parquet's RLE / bit-packed hybrid encoding (definition levels, dictionary indices), read as runs:
 * a repeated value comes back as one run however long it is, so an all-defined page or a long run
 * of one dictionary entry is handled once instead of once per value.
 */
final class HybridDecoder
{
    private final ByteBuffer in;
    private final int bitWidth;
    private final int byteWidth;
    private final long mask;
    private final byte[] packed = new byte[32 + 8];
    private final int[] group = new int[8];
    private int groupAt = 8;
    private int repeatLeft;
    private int repeated;
    private int packedLeft;
    private int value;

    /** Reads from {@code in}'s position on; values are {@code bitWidth} (0 to 32) bits wide. */
    HybridDecoder(ByteBuffer in, int bitWidth)
    {
        if (bitWidth < 0 || bitWidth > 32) {
            throw new IllegalArgumentException("bit width " + bitWidth);
        }
        this.in = in;
        this.bitWidth = bitWidth;
        this.byteWidth = (bitWidth + 7) / 8;
        this.mask = (1L << bitWidth) - 1;
    }

    /** The length of the next run of equal values, at most {@code max}; {@link #value()} is its value. */
    int run(int max)
    {
        if (repeatLeft == 0 && packedLeft == 0) {
            header();
        }
        if (repeatLeft > 0) {
            int n = Math.min(max, repeatLeft);
            repeatLeft -= n;
            value = repeated;
            return n;
        }
        value = nextPacked();
        return 1;
    }

    /** The value of the last run. */
    int value()
    {
        return value;
    }

    /** The next single value. */
    int next()
    {
        run(1);
        return value;
    }

    /** Reads {@code count} values into {@code out[0 .. count)}. */
    void read(int[] out, int count)
    {
        int done = 0;
        while (done < count) {
            if (repeatLeft == 0 && packedLeft == 0) {
                header();
            }
            if (repeatLeft > 0) {
                int n = Math.min(count - done, repeatLeft);
                Arrays.fill(out, done, done + n, repeated);
                repeatLeft -= n;
                value = repeated;
                done += n;
            }
            else {
                int end = done + Math.min(count - done, packedLeft);
                while (done < end) {
                    out[done++] = nextPacked();
                }
                value = out[done - 1];
            }
        }
    }

    /** Reads run headers until a non-empty run starts. */
    private void header()
    {
        while (repeatLeft == 0 && packedLeft == 0) {
            if (!in.hasRemaining()) {
                throw new IllegalStateException("RLE / bit-packed data ends before its values do (a truncated or corrupt page)");
            }
            int header = readVarInt();
            if ((header & 1) == 0) {
                repeatLeft = header >>> 1;   // an empty run (allowed, if odd): read on
                if (in.remaining() < byteWidth) {
                    throw new IllegalStateException("RLE / bit-packed data ends inside a run (a truncated or corrupt page)");
                }
                int v = 0;
                for (int b = 0; b < byteWidth; b++) {
                    v |= (in.get() & 0xFF) << (8 * b);
                }
                repeated = v;
            }
            else {
                packedLeft = (header >>> 1) * 8;
                groupAt = 8;
            }
        }
    }

    private int nextPacked()
    {
        if (groupAt == 8) {
            // eight values in bitWidth bytes, least significant bit first; a final group may be cut short
            int bytes = Math.min(bitWidth, in.remaining());
            in.get(packed, 0, bytes);
            Arrays.fill(packed, bytes, packed.length, (byte) 0);
            for (int j = 0; j < 8; j++) {
                int bit = j * bitWidth;
                int at = bit >>> 3;
                long window = 0;
                for (int b = 0; b < 5; b++) {
                    window |= (packed[at + b] & 0xFFL) << (8 * b);
                }
                group[j] = (int) ((window >>> (bit & 7)) & mask);
            }
            groupAt = 0;
        }
        packedLeft--;
        return group[groupAt++];
    }

    private int readVarInt()
    {
        int result = 0;
        int shift = 0;
        while (true) {
            if (!in.hasRemaining() || shift > 28) {
                throw new IllegalStateException("RLE / bit-packed run header cut short (a truncated or corrupt page)");
            }
            int b = in.get() & 0xFF;
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
            shift += 7;
        }
    }
}
