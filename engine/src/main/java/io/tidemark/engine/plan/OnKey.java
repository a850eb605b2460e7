package io.tidemark.engine.plan;

import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * How one side's {@code on} column becomes the engine's key: a signed-comparable long. Timestamps
 * are scaled to the finer unit of the two sides, dates are days, integers are themselves, and floats
 * map to longs that sort like the doubles (NaN counts as NULL).
 */
public final class OnKey
{
    public enum Domain { TEMPORAL, DATE, INTEGER, FLOATING }

    private final Domain domain;
    private final long scale;
    private final TimeUnit unit;

    private OnKey(Domain domain, long scale, TimeUnit unit)
    {
        this.domain = domain;
        this.scale = scale;
        this.unit = unit;
    }

    /** The keys of both sides, checked for compatibility as pandas does. */
    public static OnKey[] resolve(String leftFile, Field left, String rightFile, Field right)
    {
        Domain ld = domainOf(leftFile, left);
        Domain rd = domainOf(rightFile, right);
        if (ld != rd) {
            throw TidemarkException.fatal("incompatible on keys: " + leftFile + " column " + left.getName() + " is " + left.getType()
                    + " but " + rightFile + " column " + right.getName() + " is " + right.getType());
        }
        if (ld != Domain.TEMPORAL) {
            return new OnKey[] {new OnKey(ld, 1, null), new OnKey(ld, 1, null)};
        }
        ArrowType.Timestamp lt = (ArrowType.Timestamp) left.getType();
        ArrowType.Timestamp rt = (ArrowType.Timestamp) right.getType();
        if ((lt.getTimezone() == null) != (rt.getTimezone() == null)) {
            throw TidemarkException.fatal("incompatible on keys: " + leftFile + " column " + left.getName() + " is " + lt
                    + " but " + rightFile + " column " + right.getName() + " is " + rt + " (one has a time zone, the other not)");
        }
        TimeUnit fine = perSecond(lt.getUnit()) >= perSecond(rt.getUnit()) ? lt.getUnit() : rt.getUnit();
        return new OnKey[] {
                new OnKey(ld, perSecond(fine) / perSecond(lt.getUnit()), fine),
                new OnKey(ld, perSecond(fine) / perSecond(rt.getUnit()), fine)};
    }

    private static Domain domainOf(String file, Field field)
    {
        ArrowType type = field.getType();
        switch (type.getTypeID()) {
            case Timestamp:
                return Domain.TEMPORAL;
            case Date:
                return Domain.DATE;
            case Int:
                return Domain.INTEGER;
            case FloatingPoint:
                return Domain.FLOATING;
            default:
                throw TidemarkException.fatal(file + ": column " + field.getName() + " has type " + type
                        + ", which cannot be an on key (use a timestamp, date, integer or float column)");
        }
    }

    static long perSecond(TimeUnit unit)
    {
        switch (unit) {
            case SECOND:
                return 1;
            case MILLISECOND:
                return 1_000;
            case MICROSECOND:
                return 1_000_000;
            case NANOSECOND:
                return 1_000_000_000;
        }
        throw new AssertionError(unit);
    }

    public Domain domain()
    {
        return domain;
    }

    /** The unit keys are compared in (temporal keys only). */
    public TimeUnit unit()
    {
        return unit;
    }

    /**
     * Whether {@link #normalize} copies a column of {@code type} bit for bit: 8-byte integral values
     * (timestamps, 64-bit integers, millisecond dates) taken at their own unit. Such a column needs
     * no spilling beside its key ({@link SpillLayout}).
     */
    public boolean copiesBits(ArrowType type)
    {
        if (domain == Domain.FLOATING || scale != 1) {
            return false;
        }
        switch (type.getTypeID()) {
            case Timestamp:
                return true;
            case Int:
                return ((ArrowType.Int) type).getBitWidth() == 64;
            case Date:
                return ((ArrowType.Date) type).getUnit() == org.apache.arrow.vector.types.DateUnit.MILLISECOND;
            default:
                return false;
        }
    }

    public boolean floating()
    {
        return domain == Domain.FLOATING;
    }

    /** Writes the normalized key of {@code n} rows into {@code out}; NULL (and NaN) stay NULL. */
    public void normalize(FieldVector column, int n, BigIntVector out)
    {
        ColumnAccess in = new ColumnAccess(column);
        out.setInitialCapacity(Math.max(n, 1));
        out.allocateNew();
        for (int i = 0; i < n; i++) {
            if (in.isNull(i)) {
                out.setNull(i);
            }
            else if (domain == Domain.FLOATING) {
                double d = in.getDouble(i);
                if (Double.isNaN(d)) {
                    out.setNull(i);
                }
                else {
                    out.set(i, sortable(d));
                }
            }
            else {
                out.set(i, in.getLong(i) * scale);
            }
        }
        out.setValueCount(n);
    }

    /** A long whose signed order is the order of the doubles; -0.0 and 0.0 map alike. */
    public static long sortable(double d)
    {
        long bits = Double.doubleToLongBits(d == 0.0 ? 0.0 : d);
        return bits >= 0 ? bits : bits ^ Long.MAX_VALUE;
    }

    public static double unsortable(long key)
    {
        return Double.longBitsToDouble(key >= 0 ? key : key ^ Long.MAX_VALUE);
    }
}
