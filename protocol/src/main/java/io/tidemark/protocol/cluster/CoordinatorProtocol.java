package io.tidemark.protocol.cluster;

import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.ClusterMessage;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.ResourceSpec;
import io.tidemark.protocol.WorkerId;
import org.apache.pekko.actor.typed.ActorRef;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** What the coordinator singleton understands, and its replies. Every record here may cross processes. */
public final class CoordinatorProtocol
{
    private CoordinatorProtocol() {}

    /** Anything the coordinator receives. */
    public interface Command {}

    /** A free task slot of a worker asks for work; parked until there is some. Repeating it is harmless. */
    public record RequestWork(WorkerId worker, int slot, FlightAddress fragments, ActorRef<WorkerProtocol.Command> replyTo)
            implements Command, ClusterMessage
    {
        public RequestWork
        {
            requireNonNull(worker, "worker is null");
            requireNonNull(fragments, "fragments is null");
            requireNonNull(replyTo, "replyTo is null");
        }
    }

    public record MapDone(JobId job, Epoch epoch, WorkerId worker, int index, int attempt, long rows, long spilledBytes,
            List<FragmentRef> fragments)
            implements Command, ClusterMessage
    {
        public MapDone
        {
            requireNonNull(job, "job is null");
            requireNonNull(epoch, "epoch is null");
            requireNonNull(worker, "worker is null");
            fragments = List.copyOf(requireNonNull(fragments, "fragments is null"));
        }
    }

    /**
     * A task attempt failed. {@code map} tells a map task (index) from a reduce task (bucket);
     * {@code lostFrom} names the worker whose fragments could not be fetched ({@code INPUT_LOST}).
     */
    public record TaskFailed(JobId job, Epoch epoch, WorkerId worker, boolean map, int index, int attempt, FailureKind kind,
            String message, FlightAddress lostFrom)
            implements Command, ClusterMessage
    {
        public TaskFailed
        {
            requireNonNull(job, "job is null");
            requireNonNull(epoch, "epoch is null");
            requireNonNull(worker, "worker is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(message, "message is null");
        }
    }

    /** The collector asks whether an attempt that shipped all its output may commit it. */
    public record CommitRequest(JobId job, Epoch epoch, AttemptId attempt, ShardStats stats, ActorRef<CommitReply> replyTo)
            implements Command, ClusterMessage
    {
        public CommitRequest
        {
            requireNonNull(job, "job is null");
            requireNonNull(epoch, "epoch is null");
            requireNonNull(attempt, "attempt is null");
            requireNonNull(stats, "stats is null");
            requireNonNull(replyTo, "replyTo is null");
        }
    }

    public record CommitReply(CommitDecision decision)
            implements ClusterMessage
    {
        public CommitReply
        {
            requireNonNull(decision, "decision is null");
        }
    }

    /** A collector announces itself (repeatedly, so a new coordinator incarnation learns it too). */
    public record CollectorUp(FlightAddress flight, ActorRef<CollectorProtocol.Command> ref)
            implements Command, ClusterMessage
    {
        public CollectorUp
        {
            requireNonNull(flight, "flight is null");
            requireNonNull(ref, "ref is null");
        }
    }

    /** A planned job: map units per task, bucket count; the coordinator stamps its epoch on it. */
    public record Submit(JobId job, JoinSpec spec, String left, String right, String output, ResourceSpec resources, int buckets,
            long[] timeCuts, List<MapTask> maps, long leftRows, long rightRows, ActorRef<SubmitReply> replyTo)
            implements Command, ClusterMessage
    {
        public Submit
        {
            requireNonNull(job, "job is null");
            requireNonNull(spec, "spec is null");
            timeCuts = requireNonNull(timeCuts, "timeCuts is null").clone();
            maps = List.copyOf(requireNonNull(maps, "maps is null"));
            requireNonNull(replyTo, "replyTo is null");
        }
    }

    /** {@code error} is null when the job was accepted. */
    public record SubmitReply(JobId job, String error)
            implements ClusterMessage
    {
    }

    public record StatusQuery(JobId job, ActorRef<JobStatus> replyTo)
            implements Command, ClusterMessage
    {
        public StatusQuery
        {
            requireNonNull(job, "job is null");
            requireNonNull(replyTo, "replyTo is null");
        }
    }

    /** Rows the collector has written so far while it merges a job's single-file output (progress). */
    public record Written(JobId job, Epoch epoch, long rows)
            implements Command, ClusterMessage
    {
        public Written
        {
            requireNonNull(job, "job is null");
            requireNonNull(epoch, "epoch is null");
        }
    }

    /** The collector finished (or failed) publishing a job's output. */
    public record Finalized(JobId job, Epoch epoch, long rowsWritten, String error)
            implements Command, ClusterMessage
    {
        public Finalized
        {
            requireNonNull(job, "job is null");
            requireNonNull(epoch, "epoch is null");
        }
    }
}
