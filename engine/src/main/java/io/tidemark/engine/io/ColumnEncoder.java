package io.tidemark.engine.io;

import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes one optional column straight from Arrow buffers into Parquet v1 data pages: PLAIN values,
 * RLE/bit-packed definition levels, Snappy, min/max statistics for numbers (strings get none, and
 * so no column index). Pages of the current row group are kept compressed until it is written.
 */
final class ColumnEncoder
{
    private enum Kind { INT64, INT32, INT16, INT8, DOUBLE, FLOAT, BOOLEAN, BYTES, DECIMAL }

    private static final int PAGE_BYTES = 1 << 20;
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle INTS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final int PAGE_ROWS = 20_000;

    private record Page(BytesInput bytes, int uncompressed, int values, Statistics<?> stats) {}

    private final ColumnDescriptor descriptor;
    private final Kind kind;
    private final long scale;
    private final List<Page> pages = new ArrayList<>();
    private byte[] values = new byte[1 << 16];
    private int length;
    private byte[] defined = new byte[PAGE_ROWS / 8 + 1];
    private int rows;
    private int nulls;
    private long min;
    private long max;
    private double dmin;
    private double dmax;
    private boolean nan;
    private boolean nanSeen;
    private long chunkValues;
    private long groupBytes;

    ColumnEncoder(ColumnDescriptor descriptor, ArrowType type)
    {
        this.descriptor = descriptor;
        this.kind = kindOf(type);
        this.scale = ArrowParquetTypes.parquetScale(type);
        resetPage();
    }

    private static Kind kindOf(ArrowType type)
    {
        switch (type.getTypeID()) {
            case Int:
                switch (((ArrowType.Int) type).getBitWidth()) {
                    case 64:
                        return Kind.INT64;
                    case 32:
                        return Kind.INT32;
                    case 16:
                        return Kind.INT16;
                    default:
                        return Kind.INT8;
                }
            case Timestamp:
                return Kind.INT64;
            case Date:
                return Kind.INT32;
            case FloatingPoint:
                return ((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.SINGLE ? Kind.FLOAT : Kind.DOUBLE;
            case Bool:
                return Kind.BOOLEAN;
            case Utf8:
            case Binary:
                return Kind.BYTES;
            case Decimal:
                return Kind.DECIMAL;
            default:
                throw TidemarkException.fatal("cannot write type " + type);
        }
    }

    /** The buffers of one column of one batch, looked up once per batch: {validity, data, offsets or null}. */
    static ArrowBuf[] buffers(FieldVector vector)
    {
        boolean variable = vector instanceof org.apache.arrow.vector.BaseVariableWidthVector;
        return new ArrowBuf[] {vector.getValidityBuffer(), vector.getDataBuffer(), variable ? vector.getOffsetBuffer() : null};
    }

    /** Uncompressed bytes of this column in the current row group. */
    long groupBytes()
    {
        return groupBytes + length;
    }

    void add(ArrowBuf[] buffers, int row)
    {
        ArrowBuf validity = buffers[0];
        ArrowBuf data = buffers[1];
        if (BitVectorHelper.get(validity, row) == 0) {
            nulls++;
            rows++;
        }
        else {
            defined[rows >>> 3] |= (byte) (1 << (rows & 7));
            rows++;
            switch (kind) {
                case INT64: {
                    long v = data.getLong(8L * row) * scale;
                    putLong(v);
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    break;
                }
                case INT32:
                case INT16:
                case INT8: {
                    int v = kind == Kind.INT32 ? data.getInt(4L * row) : kind == Kind.INT16 ? data.getShort(2L * row) : data.getByte(row);
                    putInt(v);
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    break;
                }
                case DOUBLE: {
                    double v = data.getDouble(8L * row);
                    putLong(Double.doubleToRawLongBits(v));
                    track(v);
                    break;
                }
                case FLOAT: {
                    float v = data.getFloat(4L * row);
                    putInt(Float.floatToRawIntBits(v));
                    track(v);
                    break;
                }
                case BOOLEAN: {
                    int bit = rows - nulls - 1;
                    ensure(bit / 8 + 1);
                    if (BitVectorHelper.get(data, row) != 0) {
                        values[bit >>> 3] |= (byte) (1 << (bit & 7));
                        max = 1;
                    }
                    else {
                        min = 0;
                    }
                    length = bit / 8 + 1;
                    break;
                }
                case DECIMAL: {
                    int width = descriptor.getPrimitiveType().getTypeLength();
                    ensure(length + width);
                    for (int b = 0; b < width; b++) {   // Arrow: 16 bytes little-endian; Parquet: the low bytes big-endian
                        values[length + b] = data.getByte(16L * row + width - 1 - b);
                    }
                    length += width;
                    break;
                }
                case BYTES: {
                    ArrowBuf offsets = buffers[2];
                    int start = offsets.getInt(4L * row);
                    int len = offsets.getInt(4L * row + 4) - start;
                    ensure(length + 4 + len);
                    putInt(len);
                    data.getBytes(start, values, length, len);
                    length += len;
                    break;
                }
            }
        }
        if (rows == PAGE_ROWS || length >= PAGE_BYTES) {
            endPage();
        }
    }

    private void track(double v)
    {
        if (Double.isNaN(v)) {
            nan = true;
        }
        else {
            dmin = Math.min(dmin, v);
            dmax = Math.max(dmax, v);
        }
    }

    private void putLong(long v)
    {
        ensure(length + 8);
        LONGS.set(values, length, v);
        length += 8;
    }

    private void putInt(int v)
    {
        ensure(length + 4);
        INTS.set(values, length, v);
        length += 4;
    }

    private void ensure(int size)
    {
        if (size > values.length) {
            values = Arrays.copyOf(values, Math.max(size, values.length * 2));
        }
    }

    private void endPage()
    {
        if (rows == 0) {
            return;
        }
        byte[] levels = DefinitionLevels.encode(defined, rows, nulls);
        int uncompressed = levels.length + length;
        byte[] page = new byte[uncompressed];
        System.arraycopy(levels, 0, page, 0, levels.length);
        System.arraycopy(values, 0, page, levels.length, length);
        byte[] compressed;
        try {
            compressed = Snappy.compress(page);
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot compress a page of " + descriptor + ": " + e.getMessage());
        }
        pages.add(new Page(BytesInput.from(compressed), uncompressed, rows, statistics()));
        groupBytes += uncompressed;
        chunkValues += rows;
        resetPage();
    }

    @SuppressWarnings("unchecked")
    private Statistics<?> statistics()
    {
        Statistics<?> stats = Statistics.createStats(descriptor.getPrimitiveType());
        boolean any = rows > nulls;
        switch (kind) {
            case INT64:
                if (any) {
                    ((Statistics<Long>) stats).updateStats(min);
                    ((Statistics<Long>) stats).updateStats(max);
                }
                break;
            case INT32:
            case INT16:
            case INT8:
                if (any) {
                    ((Statistics<Integer>) stats).updateStats((int) min);
                    ((Statistics<Integer>) stats).updateStats((int) max);
                }
                break;
            case DOUBLE:
                if (any && !nan) {
                    ((Statistics<Double>) stats).updateStats(dmin);
                    ((Statistics<Double>) stats).updateStats(dmax);
                }
                break;
            case FLOAT:
                if (any && !nan) {
                    ((Statistics<Float>) stats).updateStats((float) dmin);
                    ((Statistics<Float>) stats).updateStats((float) dmax);
                }
                break;
            case BOOLEAN:
                if (min == 0) {
                    ((Statistics<Boolean>) stats).updateStats(false);
                }
                if (max == 1) {
                    ((Statistics<Boolean>) stats).updateStats(true);
                }
                break;
            case BYTES:
            case DECIMAL:
                break;
        }
        stats.incrementNumNulls(nulls);
        return stats;
    }

    /** Strings carry no statistics, and a NaN makes float min/max meaningless: such chunks get none (and no column index). */
    private boolean statisticsValid()
    {
        return kind != Kind.BYTES && kind != Kind.DECIMAL && !((kind == Kind.DOUBLE || kind == Kind.FLOAT) && nanSeen);
    }

    private void resetPage()
    {
        nanSeen |= nan;
        Arrays.fill(defined, (byte) 0);
        if (kind == Kind.BOOLEAN) {
            Arrays.fill(values, 0, Math.min(values.length, length + 1), (byte) 0);
        }
        length = 0;
        rows = 0;
        nulls = 0;
        min = kind == Kind.BOOLEAN ? 1 : Long.MAX_VALUE;
        max = kind == Kind.BOOLEAN ? 0 : Long.MIN_VALUE;
        dmin = Double.POSITIVE_INFINITY;
        dmax = Double.NEGATIVE_INFINITY;
        nan = false;
    }

    /** Writes this column's chunk of the current row group and starts the next. */
    void writeChunk(ParquetFileWriter file)
            throws IOException
    {
        endPage();
        file.startColumn(descriptor, chunkValues, CompressionCodecName.SNAPPY);
        Statistics<?> total = Statistics.createStats(descriptor.getPrimitiveType());
        for (Page p : pages) {
            file.writeDataPage(p.values(), p.uncompressed(), p.bytes(), p.stats(), p.values(),
                    Encoding.BIT_PACKED, Encoding.RLE, Encoding.PLAIN);
            total.incrementNumNulls(p.stats().getNumNulls());
        }
        if (!statisticsValid()) {
            file.invalidateStatistics(total);
        }
        file.endColumn();
        pages.clear();
        chunkValues = 0;
        groupBytes = 0;
        nanSeen = false;
    }
}
