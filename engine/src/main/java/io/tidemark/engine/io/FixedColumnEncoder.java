package io.tidemark.engine.io;

import io.tidemark.engine.vec.Gather;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.parquet.column.ColumnDescriptor;

import java.util.Arrays;

/**
 * The pages of a column of fixed-size values, PLAIN: numbers (8-byte INT64, scaled, and DOUBLE;
 * 4-byte INT32, FLOAT and the narrower integers widened), booleans as bits and decimals as
 * big-endian bytes of the Parquet type's length.
 */
final class FixedColumnEncoder
        extends ColumnEncoder
{
    private final long scale;

    FixedColumnEncoder(ColumnDescriptor descriptor, ValueKind kind, long scale, PageScratch scratch)
    {
        super(descriptor, kind, scratch);
        this.scale = scale;
    }

    @Override
    int addToPage(ArrowBuf[][] buffers, int[] rows, int from, int n)
    {
        switch (kind) {
            case INT64:
            case DOUBLE:
            case INT32:
            case INT16:
            case INT8:
            case FLOAT:
                int fit = numbersThatFit(n);
                addNumbers(buffers, rows, from, fit);
                return fit;
            case BOOLEAN:
            case DECIMAL:
                addOne(buffers[from], rows[from]);   // one row at a time; ends its own page
                return 1;
            case BYTES:
                throw new IllegalStateException("strings are encoded by " + StringColumnEncoder.class.getSimpleName());
        }
        throw new IllegalStateException("unknown kind " + kind);
    }

    /**
     * 8-byte numbers, INT32 and FLOAT without nulls among them are copied a page's share at a time
     * and their statistics taken over the copy; the rest as {@link #add} takes them. Pages end where
     * that would end them: the files are the same.
     */
    @Override
    void addRun(ArrowBuf[] buffers, int from, int count)
    {
        boolean copied = kind == ValueKind.INT64 || kind == ValueKind.DOUBLE || kind == ValueKind.INT32 || kind == ValueKind.FLOAT;
        if (!copied || Gather.anyClear(buffers[0], from, from + count)) {
            super.addRun(buffers, from, count);
            return;
        }
        int width = plainWidth();
        for (int row = from; row < from + count; ) {
            int n = numbersThatFit(Math.min(from + count - row, PAGE_ROWS - this.rows));
            copyNumbers(buffers[1], row, n, width);
            row += n;
            if (this.rows == PAGE_ROWS || length >= PAGE_BYTES) {
                endPage();
            }
        }
    }

    /** One row of a BOOLEAN or DECIMAL column (the kinds {@link #add} takes row by row). */
    private void addOne(ArrowBuf[] buffers, int row)
    {
        ArrowBuf data = buffers[1];
        if (BitVectorHelper.get(buffers[0], row) == 0) {
            nulls++;
            rows++;
        }
        else {
            defined[rows >>> 3] |= (byte) (1 << (rows & 7));
            rows++;
            if (kind == ValueKind.BOOLEAN) {
                int bit = rows - nulls - 1;
                ensure(bit / 8 + 1);
                if (BitVectorHelper.get(data, row) != 0) {
                    values[bit >>> 3] |= (byte) (1 << (bit & 7));
                    stats.max = 1;
                }
                else {
                    stats.min = 0;
                }
                length = bit / 8 + 1;
            }
            else {
                int width = descriptor.getPrimitiveType().getTypeLength();
                ensure(length + width);
                for (int b = 0; b < width; b++) {   // Arrow: 16 bytes little-endian; Parquet: the low bytes big-endian
                    values[length + b] = data.getByte(16L * row + width - 1 - b);
                }
                length += width;
            }
        }
        if (rows == PAGE_ROWS || length >= PAGE_BYTES) {
            endPage();
        }
    }

    /** Bytes of a number of this column in a PLAIN page: 8 for INT64 and DOUBLE, 4 for the rest (narrow ones widened). */
    private int plainWidth()
    {
        return kind == ValueKind.INT64 || kind == ValueKind.DOUBLE ? 8 : 4;
    }

    /**
     * How many of {@code n} numbers (already at most the page's rows left) the open page takes
     * before its bytes are full, with room reserved for them: one rule for both paths, so pages
     * end at the same rows.
     */
    private int numbersThatFit(int n)
    {
        int width = plainWidth();
        int fit = Math.min(n, (PAGE_BYTES - length + width - 1) / width);
        ensure(length + width * fit);
        return fit;
    }

    /** {@code n} non-null numbers of {@code width} bytes from {@code row} of {@code data}, with their statistics; room is reserved. */
    private void copyNumbers(ArrowBuf data, int row, int n, int width)
    {
        data.getBytes((long) width * row, values, length, width * n);
        int end = length + width * n;
        stats.trackPlain(values, length, end, scale);
        DefinitionLevels.setDefined(defined, this.rows, n);
        this.rows += n;
        length = end;
    }

    /**
     * Numbers: INT64 (scaled) and DOUBLE as 8 bytes, INT32, INT16, INT8 (widened) and FLOAT as 4;
     * room is reserved by the caller.
     */
    private void addNumbers(ArrowBuf[][] buffers, int[] rows, int from, int n)
    {
        boolean wide = plainWidth() == 8;
        boolean floating = kind == ValueKind.DOUBLE || kind == ValueKind.FLOAT;
        int r = this.rows;
        int len = length;
        int missing = 0;
        long lo = stats.min;
        long hi = stats.max;
        for (int j = from; j < from + n; j++, r++) {
            ArrowBuf[] b = buffers[j];
            int row = rows[j];
            if (BitVectorHelper.get(b[0], row) == 0) {
                missing++;
                continue;
            }
            defined[r >>> 3] |= (byte) (1 << (r & 7));
            long v = wide ? b[1].getLong(8L * row) : kind == ValueKind.INT16 ? b[1].getShort(2L * row)
                    : kind == ValueKind.INT8 ? b[1].getByte(row) : b[1].getInt(4L * row);
            if (floating) {
                stats.track(wide ? Double.longBitsToDouble(v) : Float.intBitsToFloat((int) v));
            }
            else {
                v = wide ? v * scale : v;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (wide) {
                LONGS.set(values, len, v);
                len += 8;
            }
            else {
                INTS.set(values, len, (int) v);
                len += 4;
            }
        }
        stats.min = lo;
        stats.max = hi;
        this.rows = r;
        length = len;
        nulls += missing;
    }

    @Override
    void resetPage()
    {
        if (kind == ValueKind.BOOLEAN) {
            Arrays.fill(values, 0, Math.min(values.length, length + 1), (byte) 0);
        }
        super.resetPage();
    }
}
