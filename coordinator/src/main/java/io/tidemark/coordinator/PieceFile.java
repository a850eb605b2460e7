package io.tidemark.coordinator;

import io.tidemark.engine.io.ParquetSink;
import io.tidemark.engine.partition.SpillChannel;
import io.tidemark.engine.shard.ShardSink;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One stream of a shard attempt's output written into the attempt's folder: an Arrow run (sorted by
 * on key and left ordinal, for the single-file merge) or a row-group-bounded Parquet part file with
 * its row count beside it. Batches arrive over Flight DoPut or, from a worker in the same JVM, by
 * hand; either way they pass through here. The caller keeps ownership of each batch.
 */
public final class PieceFile
        implements ShardSink
{
    private final Path file;
    private final VectorSchemaRoot own;
    private final ArrowStreamWriter run;
    private final ParquetSink part;
    private long rows;

    PieceFile(Path file, boolean isRun, Schema shipped, BufferAllocator allocator, long rowGroupBytes, int rowGroupRows)
            throws IOException
    {
        this.file = file;
        if (isRun) {
            this.own = VectorSchemaRoot.create(shipped, allocator);
            this.part = null;
            ArrowStreamWriter writer = null;
            try {
                writer = new ArrowStreamWriter(own, null, SpillChannel.create(file, allocator, 64 << 10));
                writer.start();
            }
            catch (IOException | RuntimeException e) {
                try (VectorSchemaRoot r = own; ArrowStreamWriter w = writer) {
                    throw e;
                }
            }
            this.run = writer;
        }
        else {
            this.own = null;
            this.run = null;
            this.part = new ParquetSink(file, ShardCollector.outputSchema(shipped), rowGroupBytes, rowGroupRows);
        }
    }

    @Override
    public void write(VectorSchemaRoot batch)
    {
        rows += batch.getRowCount();
        try {
            if (run != null) {
                // move the batch's buffers into the writer's root (no copy) and write them
                try (ArrowRecordBatch record = new VectorUnloader(batch).getRecordBatch()) {
                    new VectorLoader(own).load(record);
                }
                run.writeBatch();
            }
            else {
                part.write(batch);
            }
        }
        catch (IOException e) {
            throw new TidemarkException(FailureKind.TRANSIENT, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public long rows()
    {
        return rows;
    }

    /** Ends the file; a part file's row count is written beside it. */
    @Override
    public void close()
    {
        try {
            if (run != null) {
                try (VectorSchemaRoot r = own; ArrowStreamWriter w = run) {
                    w.end();
                }
            }
            else {
                part.close();
                Files.writeString(file.resolveSibling(file.getFileName() + ".rows"), Long.toString(part.rows()));
            }
        }
        catch (IOException e) {
            throw new TidemarkException(FailureKind.TRANSIENT, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
