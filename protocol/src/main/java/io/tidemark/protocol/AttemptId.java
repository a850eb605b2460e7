package io.tidemark.protocol;

import static java.util.Objects.requireNonNull;

/** One try at one shard; a retried shard gets the next number, and stale attempts are ignored. */
public record AttemptId(ShardId shard, int number)
        implements ClusterMessage
{
    public AttemptId
    {
        requireNonNull(shard, "shard is null");
        if (number < 0) {
            throw new IllegalArgumentException("negative attempt: " + number);
        }
    }
}
