package io.tidemark.engine.plan;

import io.tidemark.engine.vec.Gather;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One side's spilled rows in memory and in files. In memory every row has the spill schema's
 * columns (on key, ordinal, hash, then the table's). Files hold less, and a reader makes the rest
 * again ({@link #derive}): the by-key hash is computed from the by columns as the partitioner did;
 * the table's on column, when it is its normalized key bit for bit ({@link OnKey#copiesBits}: a
 * timestamp at the finer unit, a 64-bit integer), becomes a vector over the on key's buffers; and
 * the ordinal is held in 32 bits when the side has fewer than 2^31 rows ({@link #narrowed}),
 * widened as it loads. What is left out is never gathered, written, read or copied while spilled.
 * Columns keep their spill-schema index everywhere; {@link #column} maps a file's to them.
 */
public final class SpillLayout
{
    private final Schema schema;
    private final Schema stored;
    /** The table's on column as a spill column, rebuilt from the on key, or -1 when files hold it. */
    private final int derived;
    /** Files hold the ordinal as a 32-bit integer. */
    private final boolean narrow;
    /** Files leave out the by-key hash; {@code by}: the by columns as spill columns. */
    private final boolean rehash;
    private final int[] by;
    /** The spill column of each file column. */
    private final int[] columns;

    SpillLayout(Schema schema, int derived, boolean narrow, boolean rehash, int[] by)
    {
        this.schema = requireNonNull(schema, "schema is null");
        this.derived = derived;
        this.narrow = narrow;
        this.rehash = rehash;
        this.by = by.clone();
        List<Field> kept = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        for (int c = 0; c < schema.getFields().size(); c++) {
            Field field = schema.getFields().get(c);
            if (c == derived || (rehash && c == JoinPlan.HASH)) {
                continue;
            }
            kept.add(narrowed(c) ? new Field(field.getName(), FieldType.notNullable(new ArrowType.Int(32, true)), null) : field);
            columns.add(c);
        }
        this.stored = new Schema(kept);
        this.columns = columns.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The spill schema: what loaded rows hold. */
    public Schema schema()
    {
        return schema;
    }

    /** What spill files hold. */
    public Schema stored()
    {
        return stored;
    }

    /**
     * The spill schema without the columns files leave out, the ordinal at full width: how rows are
     * held in memory between pieces (the one-sort plan's carried rows). {@link #columns} maps its
     * vectors to spill columns as it maps a stored batch's.
     */
    public Schema held()
    {
        List<Field> kept = new ArrayList<>();
        for (int c : columns) {
            kept.add(schema.getFields().get(c));
        }
        return new Schema(kept);
    }

    /**
     * Bytes per row of the columns files leave out, as a row measured with every column counts
     * them: the hash, and the on column's 8 (its values are the on key's). What a held row saves.
     */
    public int leftOutBytes()
    {
        return (rehash ? 8 : 0) + (derived >= 0 ? 8 : 0);
    }

    /** Whether files hold spill column {@code column}. */
    public boolean isStored(int column)
    {
        return Arrays.binarySearch(columns, column) >= 0;
    }

    /** Whether files hold spill column {@code column} narrowed: the ordinal, in 32 bits. */
    public boolean narrowed(int column)
    {
        return narrow && column == JoinPlan.ORD;
    }

    /** Bytes a loaded row holds beyond its bytes in a file (the hash, the widened ordinal; the derived on column has none of its own). */
    public int loadedExtraBytes()
    {
        return (rehash ? 8 : 0) + (narrow ? 4 : 0);
    }

    /** The spill column of a file's column {@code s}. */
    public int column(int s)
    {
        return columns[s];
    }

    /** A stored batch's vectors by spill column, those files leave out null (no copy). */
    public FieldVector[] columns(VectorSchemaRoot storedBatch)
    {
        FieldVector[] out = new FieldVector[schema.getFields().size()];
        for (int s = 0; s < storedBatch.getFieldVectors().size(); s++) {
            out[column(s)] = storedBatch.getVector(s);
        }
        return out;
    }

    /** A spill-schema root's vectors by spill column. */
    public static FieldVector[] columnsOf(VectorSchemaRoot root)
    {
        return root.getFieldVectors().toArray(new FieldVector[0]);
    }

    /** The vectors by spill column of a root in the spill schema, or in the held or stored one (those left out null). */
    public FieldVector[] columnsOfAny(VectorSchemaRoot root)
    {
        return root.getFieldVectors().size() == schema.getFields().size() ? columnsOf(root) : columns(root);
    }

    /** The by columns of {@code columns} (by spill column): their {@link KeyColumns#hash} is the partitioner's (0 without by keys). */
    public KeyColumns keys(FieldVector[] columns)
    {
        return new KeyColumns(columns, by);
    }

    /**
     * Makes the columns files leave out in {@code root} (a spill-schema root of {@code rows} rows
     * whose other columns are loaded): the hash from the by columns, and the on column over the on
     * key's buffers (shared, counted by reference, nothing copied).
     */
    public void derive(VectorSchemaRoot root, int rows)
    {
        derive(root, 0, rows);
    }

    /**
     * As {@link #derive(VectorSchemaRoot, int)} for rows {@code [from, rows)} appended to a root whose
     * first {@code from} rows have theirs: hashes only the new rows (the on column is shared anew).
     */
    public void derive(VectorSchemaRoot root, int from, int rows)
    {
        if (derived >= 0) {   // first: a by column may be the on column too
            BigIntVector on = (BigIntVector) root.getVector(JoinPlan.ON);
            FieldVector target = root.getVector(derived);
            target.loadFieldBuffers(new ArrowFieldNode(rows, on.getNullCount()), List.of(on.getValidityBuffer(), on.getDataBuffer()));
        }
        if (rehash) {
            BigIntVector hash = (BigIntVector) root.getVector(JoinPlan.HASH);
            if (from == 0) {
                Gather.allocateUncleared(hash, Math.max(rows, 1));   // every row's hash is written
            }
            while (hash.getValueCapacity() < rows) {
                hash.reAlloc();
            }
            KeyColumns keys = keys(columnsOf(root));
            ArrowBuf values = hash.getDataBuffer();
            for (int i = from; i < rows; i++) {
                values.setLong(8L * i, keys.hash(i));
            }
            Gather.setValid(hash.getValidityBuffer(), from, rows - from);
            hash.setValueCount(rows);
        }
    }
}
