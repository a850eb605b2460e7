package io.tidemark.protocol.cluster;

import static java.util.Objects.requireNonNull;

/** The JSON body of the collector's {@code commit} action: a shard attempt that shipped all its pieces asks to commit. */
public record CommitBody(String job, int bucket, int attempt, long epoch, ShardStats stats)
{
    public CommitBody
    {
        requireNonNull(job, "job is null");
        requireNonNull(stats, "stats is null");
    }
}
