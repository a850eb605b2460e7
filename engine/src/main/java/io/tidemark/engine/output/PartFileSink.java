package io.tidemark.engine.output;

import io.tidemark.engine.io.ParquetSink;
import io.tidemark.engine.shard.ShardSink;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.nio.file.Path;
import java.util.function.Consumer;

/** A shard written straight to its own Parquet part file (dataset-directory output). */
public final class PartFileSink
        implements ShardSink
{
    private final ParquetSink sink;
    private final Path path;
    private final Consumer<Manifest.Entry> done;

    public PartFileSink(Path path, Schema schema, long rowGroupBytes, int rowGroupRows, Consumer<Manifest.Entry> done)
    {
        this.path = path;
        this.sink = new ParquetSink(path, schema, rowGroupBytes, rowGroupRows);
        this.done = done;
    }

    @Override
    public void write(VectorSchemaRoot batch)
    {
        sink.write(batch);
    }

    @Override
    public void close()
    {
        sink.close();
        done.accept(Manifest.entry(path, sink.rows()));
    }
}
