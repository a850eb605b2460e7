package io.tidemark.engine.plan;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;

/**
 * Typed, allocation-free reads of one key column: the buffers are looked up once, each row is a
 * buffer read. Integral types read as long, floats as double, strings and binary as byte ranges.
 */
public final class ColumnAccess
{
    public enum Family { INTEGRAL, FLOATING, BOOL, BYTES }

    private final Family family;
    private final int width;
    private final ArrowBuf validity;
    private final ArrowBuf data;
    private final ArrowBuf offsets;

    public ColumnAccess(FieldVector vector)
    {
        this.family = familyOf(vector);
        this.validity = vector.getValidityBuffer();
        this.data = vector.getDataBuffer();
        this.offsets = family == Family.BYTES ? vector.getOffsetBuffer() : null;
        this.width = vector instanceof BigIntVector || vector instanceof TimeStampVector || vector instanceof Float8Vector ? 8
                : vector instanceof IntVector || vector instanceof DateDayVector || vector instanceof Float4Vector ? 4
                : vector instanceof SmallIntVector ? 2 : 1;
    }

    public static Family familyOf(FieldVector vector)
    {
        if (vector instanceof BaseVariableWidthVector) {
            return Family.BYTES;
        }
        if (vector instanceof Float8Vector || vector instanceof Float4Vector) {
            return Family.FLOATING;
        }
        if (vector instanceof BitVector) {
            return Family.BOOL;
        }
        if (vector instanceof BigIntVector || vector instanceof TimeStampVector || vector instanceof IntVector
                || vector instanceof DateDayVector || vector instanceof SmallIntVector || vector instanceof TinyIntVector) {
            return Family.INTEGRAL;
        }
        throw new IllegalArgumentException("not a key type: " + vector.getField());
    }

    public Family family()
    {
        return family;
    }

    public boolean isNull(int row)
    {
        return BitVectorHelper.get(validity, row) == 0;
    }

    public long getLong(int row)
    {
        switch (width) {
            case 8:
                return data.getLong(8L * row);
            case 4:
                return data.getInt(4L * row);
            case 2:
                return data.getShort(2L * row);
            default:
                return data.getByte(row);
        }
    }

    public double getDouble(int row)
    {
        return width == 8 ? data.getDouble(8L * row) : data.getFloat(4L * row);
    }

    public boolean getBool(int row)
    {
        return BitVectorHelper.get(data, row) != 0;
    }

    public int start(int row)
    {
        return offsets.getInt(4L * row);
    }

    public int length(int row)
    {
        return offsets.getInt(4L * row + 4) - offsets.getInt(4L * row);
    }

    public ArrowBuf data()
    {
        return data;
    }

    /** A 64-bit hash of the value; equal values of one family hash alike whatever their width. */
    public long hash(int row)
    {
        if (isNull(row)) {
            return 0x9E3779B97F4A7C15L;
        }
        switch (family) {
            case INTEGRAL:
                return Hashing.mix(getLong(row));
            case FLOATING:
                return Hashing.mix(Double.doubleToLongBits(canonical(getDouble(row))));
            case BOOL:
                return Hashing.mix(getBool(row) ? 1 : 2);
            case BYTES:
                return Hashing.bytes(data, start(row), length(row));
        }
        throw new AssertionError(family);
    }

    /** Value equality across two columns of the same family; nulls are handled by the caller. */
    public static boolean equal(ColumnAccess a, int ra, ColumnAccess b, int rb)
    {
        switch (a.family) {
            case INTEGRAL:
                return a.getLong(ra) == b.getLong(rb);
            case FLOATING:
                return Double.doubleToLongBits(canonical(a.getDouble(ra))) == Double.doubleToLongBits(canonical(b.getDouble(rb)));
            case BOOL:
                return a.getBool(ra) == b.getBool(rb);
            case BYTES:
                int len = a.length(ra);
                return len == b.length(rb) && Hashing.equalBytes(a.data, a.start(ra), b.data, b.start(rb), len);
        }
        throw new AssertionError(a.family);
    }

    private static double canonical(double d)
    {
        return d == 0.0 ? 0.0 : d;
    }
}
