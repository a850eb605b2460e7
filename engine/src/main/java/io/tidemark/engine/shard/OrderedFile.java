package io.tidemark.engine.shard;

import io.tidemark.engine.io.ParquetSink;

/**
 * One output file that pieces fill in order: each piece encodes its rows into a {@link #stage}d sink
 * on its own thread, then, in its turn, {@link #append}s the encoded row groups.
 */
public interface OrderedFile
{
    /** A sink that encodes into memory ({@link ParquetSink#staged}). */
    ParquetSink stage();

    /** Writes a closed staged sink's row groups after everything appended before. */
    void append(ParquetSink staged);
}
