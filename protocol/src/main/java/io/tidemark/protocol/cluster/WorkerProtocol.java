package io.tidemark.protocol.cluster;

import io.tidemark.protocol.ClusterMessage;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

import static java.util.Objects.requireNonNull;

/** What a worker receives from the coordinator: one task for one of its free slots. */
public final class WorkerProtocol
{
    private WorkerProtocol() {}

    public interface Command {}

    /** Workers register under this key; the coordinator watches the listing. */
    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "tidemark-workers");

    /** The name and role of the coordinator singleton, so every node's proxy finds it. */
    public static final String COORDINATOR_NAME = "tidemark-coordinator";
    public static final String COORDINATOR_ROLE = "coordinator";

    public record AssignMap(int slot, MapTask task)
            implements Command, ClusterMessage
    {
        public AssignMap
        {
            requireNonNull(task, "task is null");
        }
    }

    public record AssignReduce(int slot, ReduceTask task)
            implements Command, ClusterMessage
    {
        public AssignReduce
        {
            requireNonNull(task, "task is null");
        }
    }

    /** The job is over (done, failed or cancelled): drop its spill files. */
    public record JobOver(io.tidemark.protocol.JobId job)
            implements Command, ClusterMessage
    {
        public JobOver
        {
            requireNonNull(job, "job is null");
        }
    }
}
