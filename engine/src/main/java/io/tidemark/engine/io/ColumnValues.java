package io.tidemark.engine.io;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.io.api.Binary;

/** Writes one Arrow column's values into a Parquet column writer, straight from the Arrow buffers. */
abstract class ColumnValues
{
    ArrowBuf validity;
    ArrowBuf data;
    ArrowBuf offsets;

    static ColumnValues of(ArrowType type, long scale)
    {
        switch (type.getTypeID()) {
            case Int: {
                int width = ((ArrowType.Int) type).getBitWidth();
                if (width == 64) {
                    return new Longs(1);
                }
                return new Ints(width / 8);
            }
            case Timestamp:
                return new Longs(scale);
            case Date:
                return new Ints(4);
            case FloatingPoint:
                return ((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.SINGLE ? new Floats() : new Doubles();
            case Bool:
                return new Bools();
            case Utf8:
            case Binary:
                return new Bytes();
            default:
                throw new IllegalArgumentException("no writer for " + type);
        }
    }

    void bind(FieldVector vector)
    {
        validity = vector.getValidityBuffer();
        data = vector.getDataBuffer();
        offsets = this instanceof Bytes ? vector.getOffsetBuffer() : null;
    }

    final void write(ColumnWriter writer, int row)
    {
        if (BitVectorHelper.get(validity, row) == 0) {
            writer.writeNull(0, 0);
        }
        else {
            writeValue(writer, row);
        }
    }

    abstract void writeValue(ColumnWriter writer, int row);

    private static final class Longs
            extends ColumnValues
    {
        private final long scale;

        Longs(long scale)
        {
            this.scale = scale;
        }

        @Override
        void writeValue(ColumnWriter writer, int row)
        {
            writer.write(data.getLong(8L * row) * scale, 0, 1);
        }
    }

    private static final class Ints
            extends ColumnValues
    {
        private final int width;

        Ints(int width)
        {
            this.width = width;
        }

        @Override
        void writeValue(ColumnWriter writer, int row)
        {
            int v = width == 4 ? data.getInt(4L * row) : width == 2 ? data.getShort(2L * row) : data.getByte(row);
            writer.write(v, 0, 1);
        }
    }

    private static final class Doubles
            extends ColumnValues
    {
        @Override
        void writeValue(ColumnWriter writer, int row)
        {
            writer.write(data.getDouble(8L * row), 0, 1);
        }
    }

    private static final class Floats
            extends ColumnValues
    {
        @Override
        void writeValue(ColumnWriter writer, int row)
        {
            writer.write(data.getFloat(4L * row), 0, 1);
        }
    }

    private static final class Bools
            extends ColumnValues
    {
        @Override
        void writeValue(ColumnWriter writer, int row)
        {
            writer.write(BitVectorHelper.get(data, row) != 0, 0, 1);
        }
    }

    private static final class Bytes
            extends ColumnValues
    {
        private byte[] scratch = new byte[256];

        @Override
        void writeValue(ColumnWriter writer, int row)
        {
            int start = offsets.getInt(4L * row);
            int length = offsets.getInt(4L * row + 4) - start;
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            data.getBytes(start, scratch, 0, length);
            writer.write(Binary.fromReusedByteArray(scratch, 0, length), 0, 1);
        }
    }
}
