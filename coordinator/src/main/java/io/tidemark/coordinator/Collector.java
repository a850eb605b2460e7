package io.tidemark.coordinator;

import io.tidemark.protocol.Failures;
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
                        CompletableFuture.runAsync(() -> {
                            long rows = 0;
                            String error = null;
                            try {
                                rows = OutputPublisher.publish(collector, f.job(), f.shards(), allocator);
                            }
                            catch (RuntimeException | OutOfMemoryError e) {
                                error = Failures.message(e);
                            }
                            f.replyTo().tell(new CoordinatorProtocol.Finalized(f.job().id(), f.job().epoch(), rows, error));
                        }, blocking);
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
