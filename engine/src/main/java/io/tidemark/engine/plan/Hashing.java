package io.tidemark.engine.plan;

import org.apache.arrow.memory.ArrowBuf;

/** 64-bit hashing of longs and byte ranges straight from Arrow buffers. */
public final class Hashing
{
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;

    private Hashing() {}

    /** The murmur3 64-bit finalizer: a bijection that spreads every input bit. */
    public static long mix(long h)
    {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    public static long combine(long a, long b)
    {
        return mix(a * 31 + b);
    }

    /**
     * A 64-bit hash of {@code length} bytes: eight at a time, then the last one to seven bytes as
     * one overlapping read (the last eight bytes, or two four-byte reads when shorter).
     */
    public static long bytes(ArrowBuf buf, long start, int length)
    {
        long h = P1 ^ length;
        long i = 0;
        for (; i + 8 <= length; i += 8) {
            h = Long.rotateLeft(h ^ (buf.getLong(start + i) * P2), 31) * P1;
        }
        long tail = 0;
        if (i < length) {
            if (length >= 8) {
                tail = buf.getLong(start + length - 8);
            }
            else if (length >= 4) {
                tail = (buf.getInt(start) & 0xFFFFFFFFL) | ((long) buf.getInt(start + length - 4) << 32);
            }
            else {
                for (int shift = 0; i < length; i++, shift += 8) {
                    tail |= (buf.getByte(start + i) & 0xFFL) << shift;
                }
            }
        }
        return mix(h ^ (tail * P2));
    }

    public static boolean equalBytes(ArrowBuf a, long aStart, ArrowBuf b, long bStart, int length)
    {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (a.getLong(aStart + i) != b.getLong(bStart + i)) {
                return false;
            }
        }
        if (i < length && length >= 8) {   // the rest as the last eight bytes
            return a.getLong(aStart + length - 8) == b.getLong(bStart + length - 8);
        }
        for (; i < length; i++) {
            if (a.getByte(aStart + i) != b.getByte(bStart + i)) {
                return false;
            }
        }
        return true;
    }
}
