package io.tidemark.engine.shard;

import io.tidemark.engine.partition.Fragments;
import io.tidemark.engine.partition.SpillInput;
import io.tidemark.engine.plan.SpillLayout;
import io.tidemark.engine.vec.Gather;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * All rows of one side of one shard in one set of vectors (spill schema), sized exactly from the
 * fragment statistics so loading never reallocates. Extra small tables (carried rows) go first.
 */
public final class ShardData
        implements AutoCloseable
{
    private final VectorSchemaRoot root;
    private final SpillLayout layout;
    private int rows;

    private ShardData(VectorSchemaRoot root, SpillLayout layout)
    {
        this.root = root;
        this.layout = layout;
    }

    /**
     * Loads {@code carried} tables (roots in the spill or the {@linkplain SpillLayout#held held} schema:
     * their rows first, in order) and then the files
     * of every part, in order. Columns spill files leave out are not copied: they are made again
     * once every row is in ({@link SpillLayout#derive}).
     */
    public static ShardData load(SpillLayout layout, BufferAllocator allocator, List<Fragments> parts, List<VectorSchemaRoot> carried)
    {
        Schema schema = layout.schema();
        long rows = 0;
        int columns = schema.getFields().size();
        long[] var = new long[columns];
        for (Fragments fragments : parts) {
            rows += fragments.rows();
            for (int c = 0; c < columns; c++) {
                var[c] += fragments.varBytes(c);
            }
        }
        for (VectorSchemaRoot extra : carried) {
            rows += extra.getRowCount();
            FieldVector[] vectors = layout.columnsOfAny(extra);
            for (int c = 0; c < columns; c++) {
                if (vectors[c] != null) {
                    var[c] += Gather.dataBytes(vectors[c], null, 0, extra.getRowCount());
                }
            }
        }
        if (rows > Integer.MAX_VALUE - 16) {
            throw TidemarkException.fatal("a shard holds " + rows + " rows, more than one shard can: use more --shards");
        }
        ShardData data = new ShardData(VectorSchemaRoot.create(schema, allocator), layout);
        try {
            for (int c = 0; c < columns; c++) {
                if (layout.isStored(c)) {
                    Gather.reserve(data.root.getVector(c), (int) rows, var[c]);
                }
            }
            for (VectorSchemaRoot extra : carried) {
                data.append(layout.columnsOfAny(extra), extra.getRowCount());
            }
            for (Fragments fragments : parts) {
                for (Path file : fragments.files()) {
                    data.appendFile(file, allocator);
                }
            }
            data.finish(0);
            return data;
        }
        catch (RuntimeException e) {
            data.close();
            throw e;
        }
    }

    /**
     * Appends the rows of {@code extra} (a root in the spill or the {@linkplain SpillLayout#held held}
     * schema: carried rows) after the loaded rows and makes their left-out columns; the vectors grow
     * where they must, the loaded rows are not loaded again.
     */
    public void append(VectorSchemaRoot extra)
    {
        int from = rows;
        append(layout.columnsOfAny(extra), extra.getRowCount());
        finish(from);
    }

    /** Sets the row count of every column once rows are in, and makes the left-out columns of rows {@code from} on. */
    private void finish(int from)
    {
        for (int c = 0; c < root.getFieldVectors().size(); c++) {
            if (layout.isStored(c)) {
                root.getVector(c).setValueCount(rows);
            }
        }
        layout.derive(root, from, rows);
        root.setRowCount(rows);
    }

    /** Appends {@code n} rows of {@code columns} (by spill column; those files leave out are skipped, a narrowed one widened). */
    private void append(FieldVector[] columns, int n)
    {
        for (int c = 0; c < columns.length; c++) {
            if (!layout.isStored(c)) {
                continue;   // made again once every row is in
            }
            if (columns[c] instanceof IntVector && layout.narrowed(c)) {
                widen((IntVector) columns[c], n, (BigIntVector) root.getVector(c), rows);
            }
            else {
                Gather.append(columns[c], 0, n, root.getVector(c), rows);
            }
        }
        rows += n;
    }

    /** Appends {@code n} 32-bit values that are never NULL to a 64-bit column at row {@code at}. */
    private static void widen(IntVector src, int n, BigIntVector dst, int at)
    {
        while (dst.getValueCapacity() < at + n) {
            dst.reAlloc();
        }
        ArrowBuf values = src.getDataBuffer();
        ArrowBuf widened = dst.getDataBuffer();
        for (int j = 0; j < n; j++) {
            widened.setLong(8L * (at + j), values.getInt(4L * j));
        }
        Gather.setValid(dst.getValidityBuffer(), at, n);
    }

    private void appendFile(Path file, BufferAllocator allocator)
    {
        try (ArrowStreamReader reader = new ArrowStreamReader(SpillInput.open(file, allocator), allocator)) {
            VectorSchemaRoot batch = reader.getVectorSchemaRoot();   // as stored: without the derived column
            FieldVector[] columns = layout.columns(batch);
            while (reader.loadNextBatch()) {
                append(columns, batch.getRowCount());
            }
        }
        catch (NoSuchFileException e) {
            throw new TidemarkException(FailureKind.INPUT_LOST, "spill file " + file + " is gone", e);
        }
        catch (IOException e) {
            throw new TidemarkException(FailureKind.INPUT_LOST, "cannot read spill file " + file + ": " + e.getMessage(), e);
        }
    }

    public VectorSchemaRoot root()
    {
        return root;
    }

    public int rows()
    {
        return rows;
    }

    public FieldVector vector(int column)
    {
        return root.getVector(column);
    }

    /** A long column as an array (the on key or the ordinal); nulls read as 0, see {@link #nulls}. */
    public long[] longs(int column)
    {
        return longs(root, column, rows);
    }

    /** The first {@code rows} values of a long column of {@code root} as an array; nulls read as 0. */
    static long[] longs(VectorSchemaRoot root, int column, int rows)
    {
        BigIntVector v = (BigIntVector) root.getVector(column);
        long[] out = new long[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = v.getDataBuffer().getLong(8L * i);
        }
        return out;
    }

    @Override
    public void close()
    {
        root.close();
    }
}
