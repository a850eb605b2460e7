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
 * {@code --memory}), the hash bucket count and the coordinator epoch that issued it.
 */
public record JobOrder(JobId id, Epoch epoch, JoinSpec spec, String left, String right, String output, ResourceSpec resources, int buckets)
        implements ClusterMessage
{
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
    }

    /** OUT.parquet is one merged file; anything else a directory of part files. */
    public boolean singleFile()
    {
        return output.endsWith(".parquet");
    }
}
