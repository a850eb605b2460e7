package io.tidemark.engine.output;

import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.shard.ShardSink;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A shard's output spilled as a run sorted by (on key, left ordinal), for the single-file merge. */
public final class RunSink
        implements ShardSink
{
    private final SpillDir spill;
    private final Path path;
    private final java.util.function.Consumer<Path> written;
    private ArrowStreamWriter writer;
    private long bytes;

    /** {@code written} learns the run's path when it is closed, if it holds any row. */
    public RunSink(SpillDir spill, Path path, java.util.function.Consumer<Path> written)
    {
        this.spill = spill;
        this.path = path;
        this.written = written;
    }

    @Override
    public void write(VectorSchemaRoot batch)
    {
        try {
            if (writer == null) {
                writer = new ArrowStreamWriter(batch, null, new BufferedOutputStream(Files.newOutputStream(path), 1 << 16));
                writer.start();
            }
            writer.writeBatch();
            bytes += batch.getFieldVectors().stream().mapToLong(v -> v.getBufferSize()).sum();
        }
        catch (IOException e) {
            throw spill.writeFailed(path, e);
        }
    }

    public long bytes()
    {
        return bytes;
    }

    @Override
    public void close()
    {
        if (writer == null) {
            return;
        }
        try {
            writer.end();
            writer.close();
            written.accept(path);
        }
        catch (IOException e) {
            throw spill.writeFailed(path, e);
        }
    }
}
