package io.tidemark.engine.io;

import java.util.Arrays;

/**
 * Definition levels of an optional top-level column (bit width 1) in Parquet's RLE/bit-packed
 * hybrid, with the 4-byte length prefix of v1 data pages: one RLE run when nothing is null, else
 * one bit-packed run of the validity bits (LSB first, as Parquet packs them).
 */
final class DefinitionLevels
{
    private DefinitionLevels() {}

    /** Marks rows [from, from + n) of a page defined: their bits of {@code definedBits}, least significant first. */
    static void setDefined(byte[] definedBits, int from, int n)
    {
        int end = from + n;
        int i = from;
        for (; i < end && (i & 7) != 0; i++) {
            definedBits[i >>> 3] |= (byte) (1 << (i & 7));
        }
        int whole = (end - i) >>> 3;
        java.util.Arrays.fill(definedBits, i >>> 3, (i >>> 3) + whole, (byte) -1);
        i += whole << 3;
        for (; i < end; i++) {
            definedBits[i >>> 3] |= (byte) (1 << (i & 7));
        }
    }

    static byte[] encode(byte[] definedBits, int rows, int nulls)
    {
        byte[] body;
        if (nulls == 0) {
            byte[] header = varint((long) rows << 1);
            body = Arrays.copyOf(header, header.length + 1);
            body[header.length] = 1;
        }
        else {
            int groups = (rows + 7) / 8;
            byte[] header = varint(((long) groups << 1) | 1);
            body = Arrays.copyOf(header, header.length + groups);
            System.arraycopy(definedBits, 0, body, header.length, groups);
        }
        byte[] out = new byte[4 + body.length];
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) (body.length >>> (8 * i));
        }
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }

    private static byte[] varint(long v)
    {
        byte[] out = new byte[10];
        int n = 0;
        while ((v & ~0x7FL) != 0) {
            out[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[n++] = (byte) v;
        return Arrays.copyOf(out, n);
    }
}
