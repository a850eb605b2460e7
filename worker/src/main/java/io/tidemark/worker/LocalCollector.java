package io.tidemark.worker;

import io.tidemark.engine.shard.ShardSink;
import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.cluster.CommitDecision;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.PiecePath;
import io.tidemark.protocol.cluster.ShardStats;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;

/**
 * A collector running in this worker's JVM (the embedded run). Output streams addressed to it are
 * handed over as batches instead of being sent to its own Flight port, and commits are asked of it
 * by a call instead of a Flight action: the collector writes and commits them through the same code
 * a DoPut stream and a commit action go through (a time-range job's part files it may keep encoded
 * in memory until their shard commits, see the collector's ordered append).
 */
public interface LocalCollector
{
    /** The Flight address the coordinator names for this collector. */
    FlightAddress address();

    /** Opens one output stream of a shard attempt; the sink does not take ownership of written batches. */
    ShardSink open(PiecePath piece, Schema shipped, BufferAllocator allocator)
            throws IOException;

    /** Asks the collector to commit a shard attempt, as the Flight action {@code commit} does. */
    CommitDecision commit(JobId job, AttemptId attempt, Epoch epoch, ShardStats stats)
            throws IOException;
}
