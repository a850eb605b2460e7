package io.tidemark.protocol.cluster;

import io.tidemark.protocol.ClusterMessage;
import io.tidemark.protocol.ShardId;
import org.apache.pekko.actor.typed.ActorRef;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** What a collector receives from the coordinator. */
public final class CollectorProtocol
{
    private CollectorProtocol() {}

    public interface Command {}

    /**
     * A job begins whose single output file is written as its shards commit (time-range shards):
     * the collector opens the file now. Without it, the publish writes the whole file.
     */
    public record Expect(JobOrder job)
            implements Command, ClusterMessage
    {
        public Expect
        {
            requireNonNull(job, "job is null");
        }
    }

    /** Every shard is committed: publish the output (merge into one file, or a manifest) atomically. */
    public record Finalize(JobOrder job, List<ShardId> shards, ActorRef<CoordinatorProtocol.Command> replyTo)
            implements Command, ClusterMessage
    {
        public Finalize
        {
            requireNonNull(job, "job is null");
            shards = List.copyOf(requireNonNull(shards, "shards is null"));
            requireNonNull(replyTo, "replyTo is null");
        }
    }

    /** The job failed: drop its attempt and committed files. */
    public record Abandon(io.tidemark.protocol.JobId job)
            implements Command, ClusterMessage
    {
        public Abandon
        {
            requireNonNull(job, "job is null");
        }
    }
}
