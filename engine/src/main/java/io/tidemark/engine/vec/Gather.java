package io.tidemark.engine.vec;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;

/**
 * Copies rows between vectors of the same type by index, buffer to buffer: no per-row objects and
 * no per-cell virtual calls. An index of -1 writes a null. The target grows as needed; callers that
 * know the final size reserve it first with {@link #reserve} so nothing is reallocated.
 */
public final class Gather
{
    private Gather() {}

    /** Writes {@code src[idx[j]]} to {@code dst[dstOffset + j]} for j in [0, count). */
    public static void gather(FieldVector src, int[] idx, int count, FieldVector dst, int dstOffset)
    {
        copy(src, idx, 0, count, dst, dstOffset);
    }

    /** Writes {@code src[idx[from + j]]} to {@code dst[dstOffset + j]} for j in [0, count). */
    public static void gather(FieldVector src, int[] idx, int from, int count, FieldVector dst, int dstOffset)
    {
        copy(src, idx, from, count, dst, dstOffset);
    }

    /** Appends {@code src[from .. from + count)} at {@code dst[dstOffset ..]}. */
    public static void append(FieldVector src, int from, int count, FieldVector dst, int dstOffset)
    {
        copy(src, null, from, count, dst, dstOffset);
    }

    /** Allocates {@code dst} for {@code rows} rows and, for variable width, {@code dataBytes} bytes. */
    public static void reserve(FieldVector dst, int rows, long dataBytes)
    {
        if (dst instanceof BaseVariableWidthVector) {
            ((BaseVariableWidthVector) dst).allocateNew(Math.max(dataBytes, 1), Math.max(rows, 1));
        }
        else {
            dst.setInitialCapacity(Math.max(rows, 1));
            dst.allocateNew();
        }
    }

    /**
     * A guess of the variable-width bytes of {@code rows} rows of {@code src} (its average, with
     * headroom): enough to reserve without a second pass over random offsets; the copy grows the
     * buffer if the guess was short.
     */
    public static long estimateBytes(FieldVector src, int rows)
    {
        if (!(src instanceof BaseVariableWidthVector) || src.getValueCount() == 0) {
            return 0;
        }
        long used = src.getOffsetBuffer().getInt(4L * src.getValueCount());
        return used * rows / src.getValueCount() * 5 / 4 + 64;
    }

    /** Variable-width bytes held by the first {@code rows} rows of a vector written by this class. */
    public static long usedBytes(FieldVector vector, int rows)
    {
        return vector instanceof BaseVariableWidthVector && rows > 0 ? vector.getOffsetBuffer().getInt(4L * rows) : 0;
    }

    /** Bytes of variable-width data of rows {@code idx[from ..from + count)}, or of rows [from, from + count) when idx is null. */
    public static long dataBytes(FieldVector src, int[] idx, int from, int count)
    {
        if (!(src instanceof BaseVariableWidthVector)) {
            return 0;
        }
        ArrowBuf offsets = src.getOffsetBuffer();
        if (idx == null) {
            return count == 0 ? 0 : offsets.getInt(4L * (from + count)) - offsets.getInt(4L * from);
        }
        long total = 0;
        for (int j = 0; j < count; j++) {
            int s = idx[from + j];
            if (s >= 0) {
                total += offsets.getInt(4L * s + 4) - offsets.getInt(4L * s);
            }
        }
        return total;
    }

    private static void copy(FieldVector src, int[] idx, int from, int count, FieldVector dst, int dstOffset)
    {
        if (count == 0) {
            return;
        }
        if (src instanceof BaseVariableWidthVector) {
            copyVariable((BaseVariableWidthVector) src, idx, from, count, (BaseVariableWidthVector) dst, dstOffset);
        }
        else if (src instanceof BitVector) {
            copyBits((BitVector) src, idx, from, count, (BitVector) dst, dstOffset);
        }
        else {
            copyFixed((BaseFixedWidthVector) src, idx, from, count, (BaseFixedWidthVector) dst, dstOffset);
        }
    }

    private static void copyFixed(BaseFixedWidthVector src, int[] idx, int from, int count, BaseFixedWidthVector dst, int dstOffset)
    {
        while (dst.getValueCapacity() < dstOffset + count) {
            dst.reAlloc();
        }
        int width = src.getTypeWidth();
        ArrowBuf sv = src.getValidityBuffer();
        boolean nullable = src.getNullCount() > 0;
        long sd = src.getDataBuffer().memoryAddress();
        long dd = dst.getDataBuffer().memoryAddress();
        ArrowBuf dv = dst.getValidityBuffer();
        setValid(dv, dstOffset, count);   // rows that turn out null are cleared one by one below
        for (int j = 0; j < count; j++) {
            int s = idx == null ? from + j : idx[from + j];
            int d = dstOffset + j;
            if (s < 0 || (nullable && BitVectorHelper.get(sv, s) == 0)) {
                BitVectorHelper.setValidityBit(dv, d, 0);
                continue;
            }
            switch (width) {
                case 8:
                    MemoryUtil.putLong(dd + 8L * d, MemoryUtil.getLong(sd + 8L * s));
                    break;
                case 4:
                    MemoryUtil.putInt(dd + 4L * d, MemoryUtil.getInt(sd + 4L * s));
                    break;
                case 2:
                    MemoryUtil.putShort(dd + 2L * d, MemoryUtil.getShort(sd + 2L * s));
                    break;
                case 1:
                    MemoryUtil.putByte(dd + d, MemoryUtil.getByte(sd + s));
                    break;
                default:
                    MemoryUtil.copyMemory(sd + (long) width * s, dd + (long) width * d, width);
            }
        }
    }

    /** Sets the validity bits of rows [from, from + count): edge bits one by one, whole bytes at once. */
    private static void setValid(ArrowBuf validity, int from, int count)
    {
        int end = from + count;
        int d = from;
        for (; d < end && (d & 7) != 0; d++) {
            BitVectorHelper.setValidityBit(validity, d, 1);
        }
        int wholeBytes = (end - d) >>> 3;
        if (wholeBytes > 0) {
            validity.setOne(d >>> 3, wholeBytes);
            d += wholeBytes << 3;
        }
        for (; d < end; d++) {
            BitVectorHelper.setValidityBit(validity, d, 1);
        }
    }

    private static void copyBits(BitVector src, int[] idx, int from, int count, BitVector dst, int dstOffset)
    {
        while (dst.getValueCapacity() < dstOffset + count) {
            dst.reAlloc();
        }
        ArrowBuf sv = src.getValidityBuffer();
        ArrowBuf sd = src.getDataBuffer();
        ArrowBuf dv = dst.getValidityBuffer();
        ArrowBuf dd = dst.getDataBuffer();
        for (int j = 0; j < count; j++) {
            int s = idx == null ? from + j : idx[from + j];
            int d = dstOffset + j;
            boolean valid = s >= 0 && BitVectorHelper.get(sv, s) != 0;
            BitVectorHelper.setValidityBit(dv, d, valid ? 1 : 0);
            BitVectorHelper.setValidityBit(dd, d, valid ? BitVectorHelper.get(sd, s) : 0);
        }
    }

    /** Rows per block of a variable-width gather: their offsets are read first, then their bytes. */
    private static final int BLOCK = 256;
    /** Keeps the touching loads alive (the JIT drops loads whose values are never used). */
    private static long touchedSink;

    /**
     * Copies in blocks of {@link #BLOCK} rows: first every row's offsets (and a touch of its first data
     * byte), loads that do not depend on each other, so the CPU overlaps their cache misses; then the
     * bytes, by now in cache. One row at a time, each copy waited for its own two misses.
     */
    private static void copyVariable(BaseVariableWidthVector src, int[] idx, int from, int count,
            BaseVariableWidthVector dst, int dstOffset)
    {
        while (dst.getValueCapacity() < dstOffset + count) {
            dst.reallocValidityAndOffsetBuffers();
        }
        long so = src.getOffsetBuffer().memoryAddress();
        long sd = src.getDataBuffer().memoryAddress();
        ArrowBuf sv = src.getValidityBuffer();
        boolean nullable = src.getNullCount() > 0;
        ArrowBuf dv = dst.getValidityBuffer();
        ArrowBuf dof = dst.getOffsetBuffer();
        long capacity = dst.getDataBuffer().capacity();
        long cursor = dof.getInt(4L * dstOffset);
        int[] starts = new int[BLOCK];
        int[] lengths = new int[BLOCK];
        for (int block = 0; block < count; block += BLOCK) {
            int n = Math.min(BLOCK, count - block);
            long touched = 0;
            long blockBytes = 0;
            for (int j = 0; j < n; j++) {
                int s = idx == null ? from + block + j : idx[from + block + j];
                if (s < 0 || (nullable && BitVectorHelper.get(sv, s) == 0)) {
                    lengths[j] = -1;
                    continue;
                }
                int a = MemoryUtil.getInt(so + 4L * s);
                int len = MemoryUtil.getInt(so + 4L * s + 4) - a;
                starts[j] = a;
                lengths[j] = len;
                blockBytes += len;
            }
            for (int j = 0; j < n; j++) {
                if (lengths[j] > 0) {
                    touched += MemoryUtil.getByte(sd + starts[j]) + MemoryUtil.getByte(sd + starts[j] + lengths[j] - 1);
                }
            }
            touchedSink = touched;
            if (cursor + blockBytes > capacity) {
                if (cursor + blockBytes > Integer.MAX_VALUE) {
                    throw new IllegalStateException("more than 2 GiB of strings in one batch of " + dst.getName());
                }
                dst.reallocDataBuffer(Math.max(cursor + blockBytes, capacity * 2));
                capacity = dst.getDataBuffer().capacity();
            }
            long dd = dst.getDataBuffer().memoryAddress();
            for (int j = 0; j < n; j++) {
                int d = dstOffset + block + j;
                int len = lengths[j];
                if (len < 0) {
                    BitVectorHelper.setValidityBit(dv, d, 0);
                }
                else {
                    BitVectorHelper.setValidityBit(dv, d, 1);
                    copyBytes(sd + starts[j], dd + cursor, len);
                    cursor += len;
                }
                dof.setInt(4L * d + 4, (int) cursor);
            }
        }
        dst.setLastSet(dstOffset + count - 1);
    }

    /** Short values (most strings) word by word; long ones through the bulk copy. Bounds are checked by the caller. */
    private static void copyBytes(long from, long to, int len)
    {
        if (len > 64) {
            MemoryUtil.copyMemory(from, to, len);
            return;
        }
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            MemoryUtil.putLong(to + i, MemoryUtil.getLong(from + i));
        }
        for (; i < len; i++) {
            MemoryUtil.putByte(to + i, MemoryUtil.getByte(from + i));
        }
    }
}
