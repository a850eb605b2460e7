package io.tidemark.engine.vec;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;

import java.util.List;

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

    /**
     * As {@link #gather(FieldVector, int[], int, int, FieldVector, int)}, from a source the caller
     * has looked at once ({@link #hasNulls}): routing a batch to hundreds of spill files scanned its
     * validity once per file and column (280 rows scanned per input row on logs-5M).
     */
    public static void gather(FieldVector src, int[] idx, int from, int count, FieldVector dst, int dstOffset, boolean srcHasNulls)
    {
        copy(src, idx, from, count, dst, dstOffset, srcHasNulls);
    }

    /** Whether any row of {@code vector} is NULL: its validity read a word at a time. */
    public static boolean hasNulls(FieldVector vector)
    {
        return vector.getValueCount() > 0 && anyClear(vector.getValidityBuffer(), 0, vector.getValueCount());
    }

    /** Appends {@code src[from .. from + count)} at {@code dst[dstOffset ..]}. */
    public static void append(FieldVector src, int from, int count, FieldVector dst, int dstOffset)
    {
        copy(src, null, from, count, dst, dstOffset);
    }

    /** Marks rows [from, from + count) of a validity buffer valid: whole bytes at once. */
    public static void setValid(ArrowBuf validity, int from, int count)
    {
        FixedGather.setValid(validity, from, count);
    }

    /** Allocates {@code dst} for {@code rows} rows and, for variable width, {@code dataBytes} bytes. */
    public static void reserve(FieldVector dst, int rows, long dataBytes)
    {
        if (dst instanceof BaseVariableWidthVector) {
            ((BaseVariableWidthVector) dst).allocateNew(Math.max(dataBytes, 1), Math.max(rows, 1));
        }
        else if (dst instanceof BaseFixedWidthVector && !(dst instanceof BitVector)) {
            allocateUncleared((BaseFixedWidthVector) dst, Math.max(rows, 1));
        }
        else {
            dst.setInitialCapacity(Math.max(rows, 1));
            dst.allocateNew();
        }
    }

    /**
     * Allocates {@code dst} for {@code rows} rows with its validity cleared and its values not:
     * {@code allocateNew} zeroes both (about 2% of a join's CPU), and the values are overwritten by
     * whoever fills the vector; a null row's value is left undefined, as Arrow allows. Its value
     * count stays 0.
     */
    public static void allocateUncleared(BaseFixedWidthVector dst, int rows)
    {
        BufferAllocator allocator = dst.getAllocator();
        try (ArrowBuf values = allocator.buffer((long) rows * dst.getTypeWidth())) {
            // a node of nulls only: the vector makes its own validity buffer, cleared (the one passed is not read)
            dst.loadFieldBuffers(new ArrowFieldNode(rows, rows), List.of(allocator.getEmpty(), values));
        }
        dst.setValueCount(0);
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
        copy(src, idx, from, count, dst, dstOffset, count > 0 && !(src instanceof BitVector) && anyNull(src, idx, from, count));   // bits read their validity anyway
    }

    /** {@code nullable}: whether any row read may be NULL (false: no validity bit of the source is read). */
    private static void copy(FieldVector src, int[] idx, int from, int count, FieldVector dst, int dstOffset, boolean nullable)
    {
        if (count == 0) {
            return;
        }
        if (src instanceof BaseVariableWidthVector) {
            VariableGather.copy((BaseVariableWidthVector) src, idx, from, count, (BaseVariableWidthVector) dst, dstOffset, nullable);
        }
        else if (src instanceof BitVector) {
            FixedGather.copyBits((BitVector) src, idx, from, count, (BitVector) dst, dstOffset);
        }
        else {
            FixedGather.copyFixed((BaseFixedWidthVector) src, idx, from, count, (BaseFixedWidthVector) dst, dstOffset, nullable);
        }
    }

    /**
     * Whether any row a copy may read is null: rows [from, from + count) for an append; for a gather,
     * the rows it reads when they are fewer than the source's validity words, else every row of
     * {@code src}. A word at a time, stopping at the first zero bit; Arrow's getNullCount counts the
     * bits of the whole vector one byte at a time, and gathers run a few rows at a time from large
     * vectors (routing a batch to 200 spill files scanned its validity 200 times per column).
     */
    static boolean anyNull(FieldVector src, int[] idx, int from, int count)
    {
        int start = idx == null ? from : 0;
        int end = idx == null ? from + count : src.getValueCount();
        if (end <= start) {
            return false;
        }
        long v = src.getValidityBuffer().memoryAddress();
        if (idx != null && count < (end - start) >>> 6) {
            for (int j = from; j < from + count; j++) {
                int s = idx[j];
                if (s >= 0 && (MemoryUtil.getByte(v + (s >>> 3)) & (1 << (s & 7))) == 0) {
                    return true;
                }
            }
            return false;
        }
        return anyClear(src.getValidityBuffer(), start, end);
    }

    /** Whether any bit of {@code bits} in [start, end) is 0 (a null row), read a word at a time. */
    public static boolean anyClear(ArrowBuf bits, int start, int end)
    {
        long v = bits.memoryAddress();
        int r = start;
        for (; r < end && (r & 63) != 0; r++) {
            if ((MemoryUtil.getByte(v + (r >>> 3)) & (1 << (r & 7))) == 0) {
                return true;
            }
        }
        for (; r + 64 <= end; r += 64) {
            if (MemoryUtil.getLong(v + (r >>> 3)) != -1L) {
                return true;
            }
        }
        for (; r < end; r++) {
            if ((MemoryUtil.getByte(v + (r >>> 3)) & (1 << (r & 7))) == 0) {
                return true;
            }
        }
        return false;
    }
}
