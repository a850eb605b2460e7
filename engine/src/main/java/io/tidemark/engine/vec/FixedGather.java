package io.tidemark.engine.vec;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;

/** {@link Gather}'s fixed-width and bit copies: raw addresses, one loop per value width, validity in bulk. */
final class FixedGather
{
    private FixedGather() {}

    /** {@code nullable}: whether a row read may be NULL in the source (when false its validity is not read). */
    static void copyFixed(BaseFixedWidthVector src, int[] idx, int from, int count, BaseFixedWidthVector dst, int dstOffset, boolean nullable)
    {
        while (dst.getValueCapacity() < dstOffset + count) {
            dst.reAlloc();
        }
        int width = src.getTypeWidth();
        long sd = src.getDataBuffer().memoryAddress();
        long dd = dst.getDataBuffer().memoryAddress();
        // one loop per width: a loop that switched per row was compiled again for every width it met
        switch (width) {
            case 8:
                copy8(sd, idx, from, count, dd, dstOffset);
                break;
            case 4:
                copy4(sd, idx, from, count, dd, dstOffset);
                break;
            case 2:
                copy2(sd, idx, from, count, dd, dstOffset);
                break;
            default:
                copyWidth(sd, width, idx, from, count, dd, dstOffset);
        }
        ArrowBuf dv = dst.getValidityBuffer();
        setValid(dv, dstOffset, count);
        // rows that are null (an index of -1, or null in the source) are cleared afterwards
        if (idx == null && !nullable) {
            return;
        }
        ArrowBuf sv = src.getValidityBuffer();
        for (int j = 0; j < count; j++) {
            int s = idx == null ? from + j : idx[from + j];
            if (s < 0 || (nullable && BitVectorHelper.get(sv, s) == 0)) {
                BitVectorHelper.setValidityBit(dv, dstOffset + j, 0);
            }
        }
    }

    private static void copy8(long sd, int[] idx, int from, int count, long dd, int dstOffset)
    {
        if (idx == null) {
            MemoryUtil.copyMemory(sd + 8L * from, dd + 8L * dstOffset, 8L * count);
            return;
        }
        for (int j = 0; j < count; j++) {
            int s = idx[from + j];
            if (s >= 0) {
                MemoryUtil.putLong(dd + 8L * (dstOffset + j), MemoryUtil.getLong(sd + 8L * s));
            }
        }
    }

    private static void copy4(long sd, int[] idx, int from, int count, long dd, int dstOffset)
    {
        if (idx == null) {
            MemoryUtil.copyMemory(sd + 4L * from, dd + 4L * dstOffset, 4L * count);
            return;
        }
        for (int j = 0; j < count; j++) {
            int s = idx[from + j];
            if (s >= 0) {
                MemoryUtil.putInt(dd + 4L * (dstOffset + j), MemoryUtil.getInt(sd + 4L * s));
            }
        }
    }

    private static void copy2(long sd, int[] idx, int from, int count, long dd, int dstOffset)
    {
        if (idx == null) {
            MemoryUtil.copyMemory(sd + 2L * from, dd + 2L * dstOffset, 2L * count);
            return;
        }
        for (int j = 0; j < count; j++) {
            int s = idx[from + j];
            if (s >= 0) {
                MemoryUtil.putShort(dd + 2L * (dstOffset + j), MemoryUtil.getShort(sd + 2L * s));
            }
        }
    }

    private static void copyWidth(long sd, int width, int[] idx, int from, int count, long dd, int dstOffset)
    {
        if (idx == null) {
            MemoryUtil.copyMemory(sd + (long) width * from, dd + (long) width * dstOffset, (long) width * count);
            return;
        }
        for (int j = 0; j < count; j++) {
            int s = idx[from + j];
            if (s >= 0) {
                MemoryUtil.copyMemory(sd + (long) width * s, dd + (long) width * (dstOffset + j), width);
            }
        }
    }

    /** Sets the validity bits of rows [from, from + count): edge bits one by one, whole bytes at once. */
    /** Runs of validity bytes at least this long are filled by {@link ArrowBuf#setOne}, shorter ones by stores. */
    private static final int SET_NATIVE_BYTES = 256;

    static void setValid(ArrowBuf validity, int from, int count)
    {
        int end = from + count;
        int d = from;
        for (; d < end && (d & 7) != 0; d++) {
            BitVectorHelper.setValidityBit(validity, d, 1);
        }
        int wholeBytes = (end - d) >>> 3;
        if (wholeBytes >= SET_NATIVE_BYTES) {
            validity.setOne(d >>> 3, wholeBytes);
        }
        else if (wholeBytes > 0) {
            // a short run costs more through the native fill (a call into the VM) than as plain stores
            long at = validity.memoryAddress() + (d >>> 3);
            int i = 0;
            for (; i + 8 <= wholeBytes; i += 8) {
                MemoryUtil.putLong(at + i, -1L);
            }
            for (; i < wholeBytes; i++) {
                MemoryUtil.putByte(at + i, (byte) -1);
            }
        }
        d += wholeBytes << 3;
        for (; d < end; d++) {
            BitVectorHelper.setValidityBit(validity, d, 1);
        }
    }

    static void copyBits(BitVector src, int[] idx, int from, int count, BitVector dst, int dstOffset)
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
}
