package io.tidemark.protocol.cluster;

import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.ClusterMessage;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Join one hash bucket (a shard): fetch its fragments of both sides, join, ship to the collector. */
public record ReduceTask(JobOrder job, AttemptId attempt, List<FragmentRef> fragments, FlightAddress collector)
        implements ClusterMessage
{
    public ReduceTask
    {
        requireNonNull(job, "job is null");
        requireNonNull(attempt, "attempt is null");
        fragments = List.copyOf(requireNonNull(fragments, "fragments is null"));
        requireNonNull(collector, "collector is null");
    }
}
