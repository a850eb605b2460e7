package io.tidemark.coordinator;

import io.tidemark.engine.shard.JoinCounters;
import io.tidemark.protocol.Failures;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.cluster.CollectorProtocol;
import io.tidemark.protocol.cluster.CoordinatorProtocol;
import io.tidemark.protocol.cluster.FlightAddress;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The collector role's actor: announces the collector's Flight address to the coordinator (again
 * every few seconds, so a new coordinator incarnation learns it), and publishes or drops a job's
 * output when told. Publishing is blocking I/O and runs on the blocking executor, never here.
 */
public final class Collector
{
    private record Announce() implements CollectorProtocol.Command {}

    /** Tell the coordinator how far the publish of {@code order} got. */
    private record Report(CollectorProtocol.Finalize order, JoinCounters counters) implements CollectorProtocol.Command {}

    private record Published(JobId job) implements CollectorProtocol.Command {}

    private Collector() {}

    public static Behavior<CollectorProtocol.Command> create(ActorRef<CoordinatorProtocol.Command> coordinator, FlightAddress flight,
            ShardCollector collector, BufferAllocator allocator, Executor blocking)
    {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new Announce(), Duration.ZERO, Duration.ofSeconds(2));
            return Behaviors.receive(CollectorProtocol.Command.class)
                    .onMessage(Announce.class, m -> {
                        coordinator.tell(new CoordinatorProtocol.CollectorUp(flight, context.getSelf()));
                        return Behaviors.same();
                    })
                    .onMessage(CollectorProtocol.Finalize.class, f -> {
                        JoinCounters counters = new JoinCounters();
                        timers.startTimerWithFixedDelay(f.job().id(), new Report(f, counters), Duration.ofSeconds(1));
                        CompletableFuture.runAsync(() -> {
                            long rows = 0;
                            String error = null;
                            try {
                                rows = OutputPublisher.publish(collector, f.job(), f.shards(), allocator, counters, blocking);
                            }
                            catch (RuntimeException | OutOfMemoryError e) {
                                error = Failures.message(e);
                            }
                            f.replyTo().tell(new CoordinatorProtocol.Finalized(f.job().id(), f.job().epoch(), rows, error));
                            context.getSelf().tell(new Published(f.job().id()));
                        }, blocking);
                        return Behaviors.same();
                    })
                    .onMessage(Report.class, r -> {
                        r.order().replyTo().tell(new CoordinatorProtocol.Written(r.order().job().id(), r.order().job().epoch(),
                                r.counters().rowsWritten.sum()));
                        return Behaviors.same();
                    })
                    .onMessage(Published.class, p -> {
                        timers.cancel(p.job());
                        return Behaviors.same();
                    })
                    .onMessage(CollectorProtocol.Expect.class, e -> {
                        CompletableFuture.runAsync(() -> collector.expect(e.job(), blocking), blocking);
                        return Behaviors.same();
                    })
                    .onMessage(CollectorProtocol.Abandon.class, a -> {
                        CompletableFuture.runAsync(() -> collector.abandon(a.job()), blocking);
                        return Behaviors.same();
                    })
                    .build();
        }));
    }
}
