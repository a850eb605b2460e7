package io.tidemark.protocol.cluster;

import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.ClusterMessage;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Join one hash bucket (a shard): fetch its fragments of both sides, join, ship to the collector.
 * {@code cuts}: the on-key boundaries of the single-file output's ranges, the same for every shard of
 * the job; each range of a piece is shipped as its own run so the collector merges ranges in parallel.
 */
public record ReduceTask(JobOrder job, AttemptId attempt, List<FragmentRef> fragments, FlightAddress collector, long[] cuts)
        implements ClusterMessage
{
    public ReduceTask
    {
        requireNonNull(job, "job is null");
        requireNonNull(attempt, "attempt is null");
        fragments = List.copyOf(requireNonNull(fragments, "fragments is null"));
        requireNonNull(collector, "collector is null");
        cuts = requireNonNull(cuts, "cuts is null").clone();
    }

    @Override
    public long[] cuts()
    {
        return cuts.clone();
    }
}
