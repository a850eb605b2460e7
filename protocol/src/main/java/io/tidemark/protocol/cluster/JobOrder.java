package io.tidemark.protocol.cluster;

import io.tidemark.protocol.ClusterMessage;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.ResourceSpec;

import static java.util.Objects.requireNonNull;

/**
 * A submitted join as every task sees it: the semantics, the inputs, where the output goes, the
 * submitter's resource settings (spill and row-group settings; each worker sizes memory from its own
 * {@code --memory}), the shard count and the coordinator epoch that issued it. {@code timeCuts}:
 * empty when shards are hash buckets of the by key; else the on-key cuts of the one-sort plan's
 * time ranges, one shard each ({@code buckets} = cuts + 1), joined in order on one worker.
 */
public record JobOrder(JobId id, Epoch epoch, JoinSpec spec, String left, String right, String output, ResourceSpec resources, int buckets,
        long[] timeCuts)
        implements ClusterMessage
{
    /** A job whose shards are hash buckets. */
    public JobOrder(JobId id, Epoch epoch, JoinSpec spec, String left, String right, String output, ResourceSpec resources, int buckets)
    {
        this(id, epoch, spec, left, right, output, resources, buckets, new long[0]);
    }

    public JobOrder
    {
        requireNonNull(id, "id is null");
        requireNonNull(epoch, "epoch is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(left, "left is null");
        requireNonNull(right, "right is null");
        requireNonNull(output, "output is null");
        requireNonNull(resources, "resources is null");
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be positive: " + buckets);
        }
        timeCuts = requireNonNull(timeCuts, "timeCuts is null").clone();
        if (timeCuts.length > 0 && buckets != timeCuts.length + 1) {
            throw new IllegalArgumentException("a time plan has one shard per range: " + buckets + " shards, " + timeCuts.length + " cuts");
        }
    }

    @Override
    public long[] timeCuts()
    {
        return timeCuts.clone();
    }

    /** Whether shards are time ranges of the one-sort plan (else hash buckets). */
    public boolean timeline()
    {
        return timeCuts.length > 0;
    }

    /** OUT.parquet is one merged file; anything else a directory of part files. */
    public boolean singleFile()
    {
        return output.endsWith(".parquet");
    }
}
