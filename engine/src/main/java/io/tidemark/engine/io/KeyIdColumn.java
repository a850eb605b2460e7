package io.tidemark.engine.io;

import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

import java.util.List;
import java.util.Map;

/**
 * An extra column of an output batch that numbers the values of one of its string columns (the by
 * key, or a column of few values): equal numbers for equal strings within the batch, -1 for a row
 * without one. A batch may have one per string column, each naming its column in its metadata.
 * {@link ParquetSink#write} hands each to its column's encoder, which then hashes each distinct
 * value of a batch into the chunk's dictionary once instead of every row's string ({@link KeyIdMemo}).
 */
public final class KeyIdColumn
{
    public static final String NAME = "__keyid";
    private static final String OF = "tidemark.key.ids.of";

    private KeyIdColumn() {}

    /** Whether an output column of {@code type} can be numbered: strings and binaries (dictionary-encoded when written). */
    public static boolean numbers(ArrowType type)
    {
        return ValueKind.of(type) == ValueKind.BYTES;
    }

    /** The field of a batch's key ids numbering output column {@code column} (a string column). */
    public static Field field(int column)
    {
        return new Field(NAME, new FieldType(false, new ArrowType.Int(32, true), null, Map.of(OF, Integer.toString(column))), List.of());
    }

    /**
     * The output column that vector {@code v} of {@code batch} numbers, or -1 when it is not a
     * key-id vector or is one of the output columns (the first {@code columns}).
     */
    static int numbered(VectorSchemaRoot batch, int v, int columns)
    {
        Field f = batch.getSchema().getFields().get(v);
        String of = f.getMetadata() == null ? null : f.getMetadata().get(OF);
        if (v < columns || !NAME.equals(f.getName()) || of == null || !(batch.getVector(v) instanceof IntVector)) {
            return -1;
        }
        int column = Integer.parseInt(of);
        return column >= 0 && column < columns ? column : -1;
    }
}
