package io.tidemark.engine.plan;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One side's spilled rows in memory and in files. In memory every row has the spill schema's
 * columns (on key, ordinal, hash, then the table's). Files leave out the table's on column when it
 * is its normalized key bit for bit ({@link OnKey#copiesBits}: a timestamp at the finer unit, a
 * 64-bit integer): a reader rebuilds it from the on key's buffers ({@link #derive}), so that column
 * is never gathered, written, read or copied while spilled. Files hold the ordinal in 32 bits when
 * the side has fewer than 2^31 rows ({@link #narrowed}), widened again as it loads. Columns keep
 * their spill-schema index everywhere; {@link #stored} maps them to a file's.
 */
public final class SpillLayout
{
    private final Schema schema;
    private final Schema stored;
    /** The spill column rebuilt from the on key, or -1 when files hold every column. */
    private final int derived;
    /** Files hold the ordinal as a 32-bit integer. */
    private final boolean narrow;

    SpillLayout(Schema schema, int derived, boolean narrow)
    {
        this.schema = requireNonNull(schema, "schema is null");
        this.derived = derived;
        this.narrow = narrow;
        List<Field> kept = new ArrayList<>(schema.getFields());
        if (narrow) {
            kept.set(JoinPlan.ORD, new Field(kept.get(JoinPlan.ORD).getName(), FieldType.notNullable(new ArrowType.Int(32, true)), null));
        }
        if (derived >= 0) {
            kept.remove(derived);
        }
        this.stored = new Schema(kept);
    }

    /** The spill schema: what loaded rows hold. */
    public Schema schema()
    {
        return schema;
    }

    /** What spill files hold: the spill schema without the {@link #derived} column. */
    public Schema stored()
    {
        return stored;
    }

    /** The spill column files leave out, or -1. */
    public int derived()
    {
        return derived;
    }

    /** Whether files hold spill column {@code column} narrowed: the ordinal, in 32 bits. */
    public boolean narrowed(int column)
    {
        return narrow && column == JoinPlan.ORD;
    }

    /** The spill column of a file's column {@code s}. */
    public int column(int s)
    {
        return derived >= 0 && s >= derived ? s + 1 : s;
    }

    /** A stored batch's vectors by spill column, the derived one null (no copy). */
    public FieldVector[] columns(VectorSchemaRoot storedBatch)
    {
        FieldVector[] columns = new FieldVector[schema.getFields().size()];
        for (int s = 0; s < storedBatch.getFieldVectors().size(); s++) {
            columns[column(s)] = storedBatch.getVector(s);
        }
        return columns;
    }

    /** A spill-schema root's vectors by spill column. */
    public static FieldVector[] columnsOf(VectorSchemaRoot root)
    {
        return root.getFieldVectors().toArray(new FieldVector[0]);
    }

    /**
     * Makes the derived column of {@code root} (a spill-schema root of {@code rows} rows) hold the
     * on key's values: its buffers become the key's (shared, counted by reference), nothing is copied.
     */
    public void derive(VectorSchemaRoot root, int rows)
    {
        if (derived < 0) {
            return;
        }
        BigIntVector on = (BigIntVector) root.getVector(JoinPlan.ON);
        FieldVector target = root.getVector(derived);
        target.loadFieldBuffers(new ArrowFieldNode(rows, on.getNullCount()), List.of(on.getValidityBuffer(), on.getDataBuffer()));
    }
}
