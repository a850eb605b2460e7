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

    public static long bytes(ArrowBuf buf, long start, int length)
    {
        long h = P1 ^ length;
        long i = 0;
        for (; i + 8 <= length; i += 8) {
            h = Long.rotateLeft(h ^ (buf.getLong(start + i) * P2), 31) * P1;
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8) {
            tail |= (buf.getByte(start + i) & 0xFFL) << shift;
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
        for (; i < length; i++) {
            if (a.getByte(aStart + i) != b.getByte(bStart + i)) {
                return false;
            }
        }
        return true;
    }
}
