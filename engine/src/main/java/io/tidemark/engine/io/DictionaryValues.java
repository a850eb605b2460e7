package io.tidemark.engine.io;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.io.api.Binary;

import java.io.IOException;

/** A column chunk's dictionary decoded once into primitive arrays (strings: one byte array and offsets). */
final class DictionaryValues
{
    private final long[] longs;
    private final double[] doubles;
    private final byte[] bytes;
    private final int[] offsets;
    private final byte[][] decimals;

    private DictionaryValues(long[] longs, double[] doubles, byte[] bytes, int[] offsets)
    {
        this.longs = longs;
        this.doubles = doubles;
        this.bytes = bytes;
        this.offsets = offsets;
        this.decimals = bytes == null ? null : new byte[offsets.length - 1][];
    }

    static DictionaryValues decode(ColumnDescriptor descriptor, DictionaryPage page)
    {
        Dictionary dictionary;
        try {
            dictionary = page.getEncoding().initDictionary(descriptor, page);
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot read the dictionary of " + descriptor + ": " + e.getMessage(), e);
        }
        int n = dictionary.getMaxId() + 1;
        switch (descriptor.getPrimitiveType().getPrimitiveTypeName()) {
            case INT64: {
                long[] values = new long[n];
                for (int i = 0; i < n; i++) {
                    values[i] = dictionary.decodeToLong(i);
                }
                return new DictionaryValues(values, null, null, null);
            }
            case INT96: {
                long[] values = new long[n];
                for (int i = 0; i < n; i++) {
                    values[i] = Int96.nanos(dictionary.decodeToBinary(i).getBytes());
                }
                return new DictionaryValues(values, null, null, null);
            }
            case INT32: {
                long[] values = new long[n];
                for (int i = 0; i < n; i++) {
                    values[i] = dictionary.decodeToInt(i);
                }
                return new DictionaryValues(values, null, null, null);
            }
            case DOUBLE: {
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = dictionary.decodeToDouble(i);
                }
                return new DictionaryValues(null, values, null, null);
            }
            case FLOAT: {
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = dictionary.decodeToFloat(i);
                }
                return new DictionaryValues(null, values, null, null);
            }
            case BINARY:
            case FIXED_LEN_BYTE_ARRAY: {
                int[] offsets = new int[n + 1];
                long total = 0;
                Binary[] all = new Binary[n];
                for (int i = 0; i < n; i++) {
                    all[i] = dictionary.decodeToBinary(i);
                    total += all[i].length();
                    offsets[i + 1] = (int) total;
                }
                byte[] bytes = new byte[(int) total];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(all[i].getBytesUnsafe(), 0, bytes, offsets[i], all[i].length());
                }
                return new DictionaryValues(null, null, bytes, offsets);
            }
            default:
                throw new IllegalStateException("unexpected dictionary of " + descriptor);
        }
    }

    /**
     * Writes the entries {@code ids[0 .. n)} as {@code width}-byte values from {@code address} on:
     * 8 bytes for INT64 and DOUBLE dictionaries, 4 for INT32 and FLOAT ones.
     */
    void copy(int[] ids, int n, long address, int width)
    {
        if (width == 8 && longs != null) {
            for (int j = 0; j < n; j++) {
                MemoryUtil.putLong(address + 8L * j, longs[ids[j]]);
            }
        }
        else if (width == 8) {
            for (int j = 0; j < n; j++) {
                MemoryUtil.putLong(address + 8L * j, Double.doubleToRawLongBits(doubles[ids[j]]));
            }
        }
        else if (longs != null) {
            for (int j = 0; j < n; j++) {
                MemoryUtil.putInt(address + 4L * j, (int) longs[ids[j]]);
            }
        }
        else {
            for (int j = 0; j < n; j++) {
                MemoryUtil.putInt(address + 4L * j, Float.floatToRawIntBits((float) doubles[ids[j]]));
            }
        }
    }

    /** Bytes of the string entries {@code ids[0 .. n)}. */
    long bytes(int[] ids, int n)
    {
        long total = 0;
        for (int j = 0; j < n; j++) {
            total += offsets[ids[j] + 1] - offsets[ids[j]];
        }
        return total;
    }

    /** Writes the string entries {@code ids[0 .. n)} as rows {@code row ..} of a string vector's buffers; returns the end offset. */
    int copyStrings(int[] ids, int n, ArrowBuf data, ArrowBuf vectorOffsets, int row, int cursor)
    {
        for (int j = 0; j < n; j++) {
            int id = ids[j];
            int length = offsets[id + 1] - offsets[id];
            data.setBytes(cursor, bytes, offsets[id], length);
            cursor += length;
            vectorOffsets.setInt(4L * (row + j) + 4, cursor);
        }
        return cursor;
    }

    void copy(int id, FieldVector vector, int i, long divisor)
    {
        if (vector instanceof org.apache.arrow.vector.DecimalVector) {
            org.apache.arrow.vector.DecimalVector v = (org.apache.arrow.vector.DecimalVector) vector;
            if (bytes != null) {
                if (decimals[id] == null) {
                    decimals[id] = java.util.Arrays.copyOfRange(bytes, offsets[id], offsets[id + 1]);   // once per dictionary entry
                }
                v.setBigEndian(i, decimals[id]);
            }
            else {
                v.set(i, longs[id]);
            }
            return;
        }
        if (vector instanceof BigIntVector) {
            ((BigIntVector) vector).set(i, longs[id]);
        }
        else if (vector instanceof TimeStampVector) {
            ((TimeStampVector) vector).set(i, divisor == 1 ? longs[id] : Math.floorDiv(longs[id], divisor));
        }
        else if (vector instanceof Float8Vector) {
            ((Float8Vector) vector).set(i, doubles[id]);
        }
        else if (vector instanceof Float4Vector) {
            ((Float4Vector) vector).set(i, (float) doubles[id]);
        }
        else if (vector instanceof BaseVariableWidthVector) {
            ((BaseVariableWidthVector) vector).setSafe(i, bytes, offsets[id], offsets[id + 1] - offsets[id]);
        }
        else if (vector instanceof BitVector) {
            throw new IllegalStateException("dictionary-encoded booleans");
        }
        else {
            setInt(vector, i, (int) longs[id]);
        }
    }

    static void setInt(FieldVector vector, int i, int value)
    {
        if (vector instanceof IntVector) {
            ((IntVector) vector).set(i, value);
        }
        else if (vector instanceof DateDayVector) {
            ((DateDayVector) vector).set(i, value);
        }
        else if (vector instanceof SmallIntVector) {
            ((SmallIntVector) vector).set(i, (short) value);
        }
        else {
            ((TinyIntVector) vector).set(i, (byte) value);
        }
    }
}
