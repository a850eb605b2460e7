package io.tidemark.coordinator;

import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.cluster.CommitDecision;
import io.tidemark.protocol.cluster.CoordinatorProtocol;
import io.tidemark.protocol.cluster.ShardStats;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/** The cluster's commit gate: asks the coordinator singleton (through its proxy), with a deadline. */
public final class AskCommitGate
        implements CommitGate
{
    private final ActorSystem<?> system;
    private final ActorRef<CoordinatorProtocol.Command> coordinator;

    public AskCommitGate(ActorSystem<?> system, ActorRef<CoordinatorProtocol.Command> coordinator)
    {
        this.system = requireNonNull(system, "system is null");
        this.coordinator = requireNonNull(coordinator, "coordinator is null");
    }

    @Override
    public CommitDecision request(JobId job, AttemptId attempt, Epoch epoch, ShardStats stats)
    {
        CoordinatorProtocol.CommitReply reply = Gateway.await(AskPattern.ask(coordinator,
                (ActorRef<CoordinatorProtocol.CommitReply> replyTo) -> new CoordinatorProtocol.CommitRequest(job, epoch, attempt, stats, replyTo),
                Duration.ofSeconds(30), system.scheduler()));
        return reply.decision();
    }
}
