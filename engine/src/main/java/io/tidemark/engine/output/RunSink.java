package io.tidemark.engine.output;

import io.tidemark.engine.partition.SpillChannel;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.shard.PieceSplitter;
import io.tidemark.engine.shard.ShardSink;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * A shard's output spilled as runs sorted by (on key, left ordinal), one run per output range, for
 * the single-file merge. Batches never span two ranges (the assembler cuts them), so a batch goes to
 * the run of its first row's range.
 */
public final class RunSink
        implements ShardSink
{
    private final SpillDir spill;
    private final String name;
    private final long[] cuts;
    private final BiConsumer<Integer, Path> written;
    private final ArrowStreamWriter[] writers;
    private final Path[] paths;
    private VectorSchemaRoot own;

    /** {@code written} learns each non-empty run (range, path) when the sink is closed. */
    public RunSink(SpillDir spill, String name, long[] cuts, BiConsumer<Integer, Path> written)
    {
        this.spill = spill;
        this.name = name;
        this.cuts = cuts;
        this.written = written;
        this.writers = new ArrowStreamWriter[cuts.length + 1];
        this.paths = new Path[cuts.length + 1];
    }

    @Override
    public void write(VectorSchemaRoot batch)
    {
        if (batch.getRowCount() == 0) {
            return;
        }
        BigIntVector on = (BigIntVector) batch.getVector(batch.getFieldVectors().size() - 2);
        int range = PieceSplitter.rangeOf(cuts, on.isNull(0), on.isNull(0) ? 0 : on.get(0));
        try {
            if (own == null) {
                own = VectorSchemaRoot.create(batch.getSchema(), batch.getFieldVectors().get(0).getAllocator());
            }
            if (writers[range] == null) {
                paths[range] = spill.file("run-" + name + "-r" + range + ".arrows");
                writers[range] = new ArrowStreamWriter(own, null, SpillChannel.create(paths[range], own.getFieldVectors().get(0).getAllocator(), 64 << 10));
                writers[range].start();
            }
            // batches are fresh roots: move each into the writers' own root (no copy) before writing
            try (ArrowRecordBatch record = new VectorUnloader(batch).getRecordBatch()) {
                new VectorLoader(own).load(record);
            }
            writers[range].writeBatch();
        }
        catch (IOException e) {
            throw spill.writeFailed(paths[range], e);
        }
    }

    @Override
    public void close()
    {
        try {
            closeWriters();
        }
        finally {
            if (own != null) {
                own.close();
            }
        }
    }

    private void closeWriters()
    {
        RuntimeException failure = null;
        for (int r = 0; r < writers.length; r++) {
            if (writers[r] != null) {
                failure = spill.end(writers[r], paths[r], failure);
                if (failure == null) {
                    written.accept(r, paths[r]);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
