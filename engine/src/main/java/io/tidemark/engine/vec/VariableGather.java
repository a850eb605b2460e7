package io.tidemark.engine.vec;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVectorHelper;

/** {@link Gather}'s copies of strings and binaries: offsets read a block ahead, short values word by word. */
final class VariableGather
{
    private VariableGather() {}

    /** Rows per block of a variable-width gather: their offsets are read first, then their bytes. */
    private static final int BLOCK = 256;
    /**
     * Each thread's block of starts and lengths: allocated per call, they were 0.67 GB of a logs-20M
     * join's 8 GB of heap garbage (routing copies a few hundred rows per call, per range and column).
     */
    private static final ThreadLocal<int[][]> SCRATCH = ThreadLocal.withInitial(() -> new int[][] {new int[BLOCK], new int[BLOCK]});
    /** Keeps the touching loads alive (the JIT drops loads whose values are never used). */
    private static long touchedSink;

    /**
     * Copies in blocks of {@link #BLOCK} rows: first every row's offsets (and a touch of its first data
     * byte), loads that do not depend on each other, so the CPU overlaps their cache misses; then the
     * bytes, by now in cache. One row at a time, each copy waited for its own two misses.
     */
    static void copy(BaseVariableWidthVector src, int[] idx, int from, int count,
            BaseVariableWidthVector dst, int dstOffset, boolean nullable)
    {
        while (dst.getValueCapacity() < dstOffset + count) {
            dst.reallocValidityAndOffsetBuffers();
        }
        long so = src.getOffsetBuffer().memoryAddress();
        long sd = src.getDataBuffer().memoryAddress();
        ArrowBuf sv = src.getValidityBuffer();
        ArrowBuf dv = dst.getValidityBuffer();
        ArrowBuf dof = dst.getOffsetBuffer();
        long capacity = dst.getDataBuffer().capacity();
        long cursor = dof.getInt(4L * dstOffset);
        int[][] scratch = SCRATCH.get();
        int[] starts = scratch[0];
        int[] lengths = scratch[1];
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
            FixedGather.setValid(dv, dstOffset + block, n);   // nulls are cleared one by one
            for (int j = 0; j < n; j++) {
                int d = dstOffset + block + j;
                int len = lengths[j];
                if (len < 0) {
                    BitVectorHelper.setValidityBit(dv, d, 0);
                }
                else {
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
        if (i == len) {
            return;
        }
        if (len >= 8) {   // the last one to seven bytes as the string's last eight (within both strings)
            MemoryUtil.putLong(to + len - 8, MemoryUtil.getLong(from + len - 8));
        }
        else if (len >= 4) {
            MemoryUtil.putInt(to, MemoryUtil.getInt(from));
            MemoryUtil.putInt(to + len - 4, MemoryUtil.getInt(from + len - 4));
        }
        else {
            for (; i < len; i++) {
                MemoryUtil.putByte(to + i, MemoryUtil.getByte(from + i));
            }
        }
    }
}
