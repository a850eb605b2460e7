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
        ArrowBuf sd = src.getDataBuffer();
        ArrowBuf dv = dst.getValidityBuffer();
        ArrowBuf dd = dst.getDataBuffer();
        for (int j = 0; j < count; j++) {
            int s = idx == null ? from + j : idx[from + j];
            int d = dstOffset + j;
            if (s < 0 || BitVectorHelper.get(sv, s) == 0) {
                BitVectorHelper.setValidityBit(dv, d, 0);
                continue;
            }
            BitVectorHelper.setValidityBit(dv, d, 1);
            switch (width) {
                case 8:
                    dd.setLong(8L * d, sd.getLong(8L * s));
                    break;
                case 4:
                    dd.setInt(4L * d, sd.getInt(4L * s));
                    break;
                case 2:
                    dd.setShort(2L * d, sd.getShort(2L * s));
                    break;
                case 1:
                    dd.setByte(d, sd.getByte(s));
                    break;
                default:
                    dd.setBytes((long) width * d, sd, (long) width * s, width);
            }
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

    private static void copyVariable(BaseVariableWidthVector src, int[] idx, int from, int count,
            BaseVariableWidthVector dst, int dstOffset)
    {
        while (dst.getValueCapacity() < dstOffset + count) {
            dst.reallocValidityAndOffsetBuffers();
        }
        ArrowBuf so = src.getOffsetBuffer();
        ArrowBuf sv = src.getValidityBuffer();
        ArrowBuf sd = src.getDataBuffer();
        ArrowBuf dv = dst.getValidityBuffer();
        ArrowBuf dof = dst.getOffsetBuffer();
        long capacity = dst.getDataBuffer().capacity();
        long cursor = dof.getInt(4L * dstOffset);
        for (int j = 0; j < count; j++) {
            int s = idx == null ? from + j : idx[from + j];
            int d = dstOffset + j;
            if (s < 0 || BitVectorHelper.get(sv, s) == 0) {
                BitVectorHelper.setValidityBit(dv, d, 0);
            }
            else {
                BitVectorHelper.setValidityBit(dv, d, 1);
                int a = so.getInt(4L * s);
                int len = so.getInt(4L * s + 4) - a;
                if (cursor + len > capacity) {
                    if (cursor + len > Integer.MAX_VALUE) {
                        throw new IllegalStateException("more than 2 GiB of strings in one batch of " + dst.getName());
                    }
                    dst.reallocDataBuffer(Math.max(cursor + len, capacity * 2));
                    capacity = dst.getDataBuffer().capacity();
                }
                copyBytes(sd.memoryAddress() + a, dst.getDataBuffer().memoryAddress() + cursor, len);
                cursor += len;
            }
            dof.setInt(4L * d + 4, (int) cursor);
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
