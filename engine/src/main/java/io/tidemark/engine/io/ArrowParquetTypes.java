package io.tidemark.engine.io;

import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.StringLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The column types Tidemark carries, and their mapping between Parquet and Arrow. Every column is
 * read into and written from an Arrow vector of exactly this type, so an int64 column with nulls
 * stays int64 and a timestamp keeps its unit and time zone.
 */
public final class ArrowParquetTypes
{
    private ArrowParquetTypes() {}

    /** The Arrow field for a top-level Parquet column; the time zone comes from the file's Arrow schema, if any. */
    public static Field toArrow(String file, Type type, String arrowTimeZone, TimeUnit arrowUnit)
    {
        String name = type.getName();
        if (!type.isPrimitive() || type.isRepetition(Type.Repetition.REPEATED)) {
            throw unsupported(file, name, "nested or repeated " + type);
        }
        PrimitiveType primitive = type.asPrimitiveType();
        LogicalTypeAnnotation logical = primitive.getLogicalTypeAnnotation();
        ArrowType arrow;
        PrimitiveTypeName physical = primitive.getPrimitiveTypeName();
        switch (physical) {
            case BOOLEAN:
                arrow = ArrowType.Bool.INSTANCE;
                break;
            case INT32:
                if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) {
                    arrow = decimal(logical);
                }
                else if (logical == null) {
                    arrow = new ArrowType.Int(32, true);
                }
                else if (logical instanceof IntLogicalTypeAnnotation && ((IntLogicalTypeAnnotation) logical).isSigned()) {
                    arrow = new ArrowType.Int(((IntLogicalTypeAnnotation) logical).getBitWidth(), true);
                }
                else if (logical instanceof DateLogicalTypeAnnotation) {
                    arrow = new ArrowType.Date(DateUnit.DAY);
                }
                else {
                    throw unsupported(file, name, "INT32 " + logical);
                }
                break;
            case INT64:
                if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) {
                    arrow = decimal(logical);
                }
                else if (logical == null || (logical instanceof IntLogicalTypeAnnotation && ((IntLogicalTypeAnnotation) logical).isSigned())) {
                    arrow = new ArrowType.Int(64, true);
                }
                else if (logical instanceof TimestampLogicalTypeAnnotation) {
                    TimestampLogicalTypeAnnotation ts = (TimestampLogicalTypeAnnotation) logical;
                    TimeUnit unit = toArrowUnit(ts.getUnit());
                    if (arrowUnit == TimeUnit.SECOND && unit == TimeUnit.MILLISECOND) {
                        unit = TimeUnit.SECOND;   // pyarrow stores timestamp[s] as millis and says so in ARROW:schema
                    }
                    String zone = arrowTimeZone != null ? arrowTimeZone : (ts.isAdjustedToUTC() ? "UTC" : null);
                    arrow = new ArrowType.Timestamp(unit, zone);
                }
                else {
                    throw unsupported(file, name, "INT64 " + logical);
                }
                break;
            case FLOAT:
                arrow = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
                break;
            case DOUBLE:
                arrow = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
                break;
            case BINARY:
                if (logical instanceof StringLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    arrow = ArrowType.Utf8.INSTANCE;
                }
                else if (logical == null) {
                    arrow = ArrowType.Binary.INSTANCE;
                }
                else {
                    throw unsupported(file, name, "BINARY " + logical);
                }
                break;
            case FIXED_LEN_BYTE_ARRAY:
                if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation && primitive.getTypeLength() <= 16) {
                    arrow = decimal(logical);
                    break;
                }
                throw unsupported(file, name, physical + (logical == null ? "" : " " + logical));
            case INT96:
                arrow = new ArrowType.Timestamp(TimeUnit.NANOSECOND, arrowTimeZone);   // legacy Spark/Impala timestamps
                break;
            default:
                throw unsupported(file, name, physical + (logical == null ? "" : " " + logical));
        }
        return new Field(name, FieldType.nullable(arrow), null);
    }

    private static ArrowType decimal(LogicalTypeAnnotation logical)
    {
        LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d = (LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) logical;
        return new ArrowType.Decimal(d.getPrecision(), d.getScale(), 128);
    }

    /** Bytes of a big-endian two's complement decimal of this precision, as Parquet writers size them. */
    public static int decimalBytes(int precision)
    {
        int bytes = 1;
        while (Math.pow(2, 8 * bytes - 1) < Math.pow(10, precision)) {
            bytes++;
        }
        return bytes;
    }

    /** The Parquet column (always optional) for an Arrow field Tidemark writes. */
    public static Type toParquet(Field field)
    {
        String name = field.getName();
        ArrowType type = field.getType();
        switch (type.getTypeID()) {
            case Bool:
                return Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
            case Int: {
                ArrowType.Int in = (ArrowType.Int) type;
                if (in.getBitWidth() == 64) {
                    return Types.optional(PrimitiveTypeName.INT64).named(name);
                }
                if (in.getBitWidth() == 32) {
                    return Types.optional(PrimitiveTypeName.INT32).named(name);
                }
                return Types.optional(PrimitiveTypeName.INT32)
                        .as(LogicalTypeAnnotation.intType(in.getBitWidth(), true)).named(name);
            }
            case FloatingPoint:
                return ((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.SINGLE
                        ? Types.optional(PrimitiveTypeName.FLOAT).named(name)
                        : Types.optional(PrimitiveTypeName.DOUBLE).named(name);
            case Utf8:
                return Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
            case Binary:
                return Types.optional(PrimitiveTypeName.BINARY).named(name);
            case Date:
                return Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(name);
            case Decimal: {
                ArrowType.Decimal d = (ArrowType.Decimal) type;
                return Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(decimalBytes(d.getPrecision()))
                        .as(LogicalTypeAnnotation.decimalType(d.getScale(), d.getPrecision())).named(name);
            }
            case Timestamp: {
                ArrowType.Timestamp ts = (ArrowType.Timestamp) type;
                LogicalTypeAnnotation.TimeUnit unit = toParquetUnit(ts.getUnit());
                return Types.optional(PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timestampType(ts.getTimezone() != null, unit)).named(name);
            }
            default:
                throw TidemarkException.fatal("column " + name + ": cannot write type " + type);
        }
    }

    /** Seconds have no Parquet unit: they are written as milliseconds (times 1000), as pyarrow does. */
    public static long parquetScale(ArrowType type)
    {
        return type instanceof ArrowType.Timestamp && ((ArrowType.Timestamp) type).getUnit() == TimeUnit.SECOND ? 1000 : 1;
    }

    private static LogicalTypeAnnotation.TimeUnit toParquetUnit(TimeUnit unit)
    {
        switch (unit) {
            case SECOND:
            case MILLISECOND:
                return LogicalTypeAnnotation.TimeUnit.MILLIS;
            case MICROSECOND:
                return LogicalTypeAnnotation.TimeUnit.MICROS;
            case NANOSECOND:
                return LogicalTypeAnnotation.TimeUnit.NANOS;
        }
        throw new AssertionError(unit);
    }

    private static TimeUnit toArrowUnit(LogicalTypeAnnotation.TimeUnit unit)
    {
        switch (unit) {
            case MILLIS:
                return TimeUnit.MILLISECOND;
            case MICROS:
                return TimeUnit.MICROSECOND;
            case NANOS:
                return TimeUnit.NANOSECOND;
        }
        throw new AssertionError(unit);
    }

    private static TidemarkException unsupported(String file, String column, String type)
    {
        return TidemarkException.fatal(file + ": column " + column + " has a type Tidemark does not support yet: " + type);
    }
}
