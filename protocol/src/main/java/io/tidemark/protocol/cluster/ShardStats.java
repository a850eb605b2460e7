package io.tidemark.protocol.cluster;

import io.tidemark.protocol.ClusterMessage;

/** What one shard attempt did: left rows joined, rows sorted and shipped, matched rows, time pieces, spilled bytes. */
public record ShardStats(long leftRows, long rowsSorted, long rowsOut, long rowsMatched, int pieces, long spilledBytes)
        implements ClusterMessage
{
}
