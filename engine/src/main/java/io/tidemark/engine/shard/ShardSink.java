package io.tidemark.engine.shard;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Where a shard's output batches go: a Parquet part file, or a sorted run for the final merge. A
 * batch holds the output columns, then the left on key and ordinal the merge orders by.
 */
public interface ShardSink
        extends AutoCloseable
{
    void write(VectorSchemaRoot batch);

    @Override
    void close();
}
