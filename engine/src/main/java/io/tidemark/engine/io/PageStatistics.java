package io.tidemark.engine.io;

import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Min and max of one page of one column while it is written: integers (and booleans as 0/1) as
 * longs, floating point as doubles with NaN kept apart, since a NaN makes min/max meaningless.
 */
final class PageStatistics
{
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle INTS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private final ValueKind kind;
    long min;
    long max;
    private double dmin;
    private double dmax;
    private boolean nan;
    private boolean nanInChunk;

    PageStatistics(ValueKind kind)
    {
        this.kind = kind;
        reset();
    }

    void track(double v)
    {
        if (Double.isNaN(v)) {
            nan = true;
        }
        else {
            dmin = Math.min(dmin, v);
            dmax = Math.max(dmax, v);
        }
    }

    /**
     * Tracks PLAIN numbers of this kind held in {@code values[from, end)} (little-endian, 8 bytes for
     * INT64 and DOUBLE, 4 for INT32 and FLOAT), scaling INT64 values in place by {@code scale} first.
     */
    void trackPlain(byte[] values, int from, int end, long scale)
    {
        switch (kind) {
            case DOUBLE:
                for (int at = from; at < end; at += 8) {
                    track(Double.longBitsToDouble((long) LONGS.get(values, at)));
                }
                break;
            case FLOAT:
                for (int at = from; at < end; at += 4) {
                    track(Float.intBitsToFloat((int) INTS.get(values, at)));
                }
                break;
            case INT64:
                trackIntegers(values, from, end, 8, scale);
                break;
            case INT32:
                trackIntegers(values, from, end, 4, 1);
                break;
            case INT16:
            case INT8:
            case BOOLEAN:
            case BYTES:
            case DECIMAL:
                throw new IllegalStateException("no PLAIN run of " + kind);
        }
    }

    /** Min and max of PLAIN integers of {@code width} bytes (8: scaled in place first). */
    private void trackIntegers(byte[] values, int from, int end, int width, long scale)
    {
        long lo = min;
        long hi = max;
        for (int at = from; at < end; at += width) {
            long v;
            if (width == 8) {
                v = (long) LONGS.get(values, at) * scale;
                LONGS.set(values, at, v);
            }
            else {
                v = (int) INTS.get(values, at);
            }
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        min = lo;
        max = hi;
    }

    /** The page's statistics in Parquet's form; strings and decimals carry none but their null count. */
    @SuppressWarnings("unchecked")
    Statistics<?> build(PrimitiveType type, int rows, int nulls)
    {
        Statistics<?> stats = Statistics.createStats(type);
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
    boolean chunkValid()
    {
        return kind != ValueKind.BYTES && kind != ValueKind.DECIMAL
                && !((kind == ValueKind.DOUBLE || kind == ValueKind.FLOAT) && (nanInChunk || nan));
    }

    /** Starts the next page. */
    void reset()
    {
        nanInChunk |= nan;
        min = kind == ValueKind.BOOLEAN ? 1 : Long.MAX_VALUE;
        max = kind == ValueKind.BOOLEAN ? 0 : Long.MIN_VALUE;
        dmin = Double.POSITIVE_INFINITY;
        dmax = Double.NEGATIVE_INFINITY;
        nan = false;
    }

    /** Starts the next column chunk (after its pages were written). */
    void resetChunk()
    {
        nanInChunk = false;
    }
}
