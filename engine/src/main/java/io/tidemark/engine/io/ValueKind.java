package io.tidemark.engine.io;

import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** How the writer encodes an Arrow type as a PLAIN Parquet value. */
enum ValueKind
{
    INT64, INT32, INT16, INT8, DOUBLE, FLOAT, BOOLEAN, BYTES, DECIMAL;

    static ValueKind of(ArrowType type)
    {
        switch (type.getTypeID()) {
            case Int:
                switch (((ArrowType.Int) type).getBitWidth()) {
                    case 64:
                        return INT64;
                    case 32:
                        return INT32;
                    case 16:
                        return INT16;
                    default:
                        return INT8;
                }
            case Timestamp:
                return INT64;
            case Date:
                return INT32;
            case FloatingPoint:
                return ((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.SINGLE ? FLOAT : DOUBLE;
            case Bool:
                return BOOLEAN;
            case Utf8:
            case Binary:
                return BYTES;
            case Decimal:
                return DECIMAL;
            default:
                throw TidemarkException.fatal("cannot write type " + type);
        }
    }
}
