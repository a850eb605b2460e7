package io.tidemark.worker;

import io.tidemark.engine.shard.ShardSink;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.PiecePath;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;

/**
 * A collector running in this worker's JVM (the embedded run). Output streams addressed to it are
 * handed over as batches instead of being sent to its own Flight port: the collector writes them
 * through the same code a DoPut stream goes through, and commits still ask it over Flight.
 */
public interface LocalCollector
{
    /** The Flight address the coordinator names for this collector. */
    FlightAddress address();

    /** Opens one output stream of a shard attempt; the sink does not take ownership of written batches. */
    ShardSink open(PiecePath piece, Schema shipped, BufferAllocator allocator)
            throws IOException;
}
