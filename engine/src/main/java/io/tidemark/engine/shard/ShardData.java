package io.tidemark.engine.shard;

import io.tidemark.engine.partition.Fragments;
import io.tidemark.engine.partition.SpillInput;
import io.tidemark.engine.vec.Gather;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
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
    private int rows;

    private ShardData(VectorSchemaRoot root)
    {
        this.root = root;
    }

    /** Loads {@code carried} tables (their rows first, in order) and then the files of every part, in order. */
    public static ShardData load(Schema schema, BufferAllocator allocator, List<Fragments> parts, List<VectorSchemaRoot> carried)
    {
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
            for (int c = 0; c < columns; c++) {
                var[c] += Gather.dataBytes(extra.getVector(c), null, 0, extra.getRowCount());
            }
        }
        if (rows > Integer.MAX_VALUE - 16) {
            throw TidemarkException.fatal("a shard holds " + rows + " rows, more than one shard can: use more --shards");
        }
        ShardData data = new ShardData(VectorSchemaRoot.create(schema, allocator));
        try {
            for (int c = 0; c < columns; c++) {
                Gather.reserve(data.root.getVector(c), (int) rows, var[c]);
            }
            for (VectorSchemaRoot extra : carried) {
                data.append(extra);
            }
            for (Fragments fragments : parts) {
                for (Path file : fragments.files()) {
                    data.appendFile(file, allocator);
                }
            }
            for (FieldVector v : data.root.getFieldVectors()) {
                v.setValueCount(data.rows);
            }
            data.root.setRowCount(data.rows);
            return data;
        }
        catch (RuntimeException e) {
            data.close();
            throw e;
        }
    }

    private void append(VectorSchemaRoot batch)
    {
        int n = batch.getRowCount();
        for (int c = 0; c < root.getFieldVectors().size(); c++) {
            Gather.append(batch.getVector(c), 0, n, root.getVector(c), rows);
        }
        rows += n;
    }

    private void appendFile(Path file, BufferAllocator allocator)
    {
        try (ArrowStreamReader reader = new ArrowStreamReader(SpillInput.open(file, allocator), allocator)) {
            VectorSchemaRoot batch = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                append(batch);
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
