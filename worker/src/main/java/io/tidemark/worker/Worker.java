package io.tidemark.worker;

import io.tidemark.protocol.Failures;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.WorkerId;
import io.tidemark.protocol.cluster.CoordinatorProtocol;
import io.tidemark.protocol.cluster.WorkerProtocol;
import io.tidemark.protocol.cluster.WorkerProtocol.AssignMap;
import io.tidemark.protocol.cluster.WorkerProtocol.AssignReduce;
import io.tidemark.protocol.cluster.WorkerProtocol.JobOver;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The worker role's actor: registers with the Receptionist, asks the coordinator for work for each
 * free slot (again every few seconds while idle, so a new coordinator incarnation hears it), runs each
 * task on the blocking executor and reports how it ended. The actor itself never blocks.
 */
public final class Worker
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Worker.class);

    private record Tick() implements WorkerProtocol.Command {}

    private record Finished(int slot, JobId job, boolean map, int index, int attempt, io.tidemark.protocol.Epoch epoch,
            MapRunner.Result mapResult, Throwable failure) implements WorkerProtocol.Command {}

    private final ActorContext<WorkerProtocol.Command> context;
    private final WorkerId id;
    private final ActorRef<CoordinatorProtocol.Command> coordinator;
    private final TaskRunner runner;
    private final Executor blocking;
    private final boolean[] busy;

    private Worker(ActorContext<WorkerProtocol.Command> context, WorkerId id, ActorRef<CoordinatorProtocol.Command> coordinator,
            TaskRunner runner, Executor blocking)
    {
        this.context = context;
        this.id = id;
        this.coordinator = coordinator;
        this.runner = runner;
        this.blocking = blocking;
        this.busy = new boolean[runner.slots()];
    }

    public static Behavior<WorkerProtocol.Command> create(WorkerId id, ActorRef<CoordinatorProtocol.Command> coordinator, TaskRunner runner,
            Executor blocking)
    {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            context.getSystem().receptionist().tell(Receptionist.register(WorkerProtocol.KEY, context.getSelf()));
            timers.startTimerWithFixedDelay(new Tick(), Duration.ZERO, Duration.ofSeconds(3));
            return new Worker(context, id, coordinator, runner, blocking).behavior();
        }));
    }

    private Behavior<WorkerProtocol.Command> behavior()
    {
        return Behaviors.receive(WorkerProtocol.Command.class)
                .onMessage(Tick.class, t -> {
                    for (int s = 0; s < busy.length; s++) {
                        if (!busy[s]) {
                            requestWork(s);
                        }
                    }
                    return Behaviors.same();
                })
                .onMessage(AssignMap.class, this::onMap)
                .onMessage(AssignReduce.class, this::onReduce)
                .onMessage(Finished.class, this::onFinished)
                .onMessage(JobOver.class, j -> {
                    CompletableFuture.runAsync(() -> runner.dropJob(j.job()), blocking);
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<WorkerProtocol.Command> onMap(AssignMap m)
    {
        int slot = freeSlot(m.slot());
        if (slot < 0) {
            report(m.task().job().id(), true, m.task().index(), m.task().attempt(), m.task().job().epoch(), new TidemarkException(
                    io.tidemark.protocol.FailureKind.TRANSIENT, "worker " + id + " has no free slot"));
            return Behaviors.same();
        }
        busy[slot] = true;
        LOG.info("running map task {} attempt {} of {}", m.task().index(), m.task().attempt(), m.task().job().id());
        context.pipeToSelf(CompletableFuture.supplyAsync(() -> runner.map(m.task()), blocking), (result, failure) ->
                new Finished(slot, m.task().job().id(), true, m.task().index(), m.task().attempt(), m.task().job().epoch(), result, failure));
        return Behaviors.same();
    }

    private Behavior<WorkerProtocol.Command> onReduce(AssignReduce r)
    {
        int slot = freeSlot(r.slot());
        int bucket = r.task().attempt().shard().bucket();
        if (slot < 0) {
            report(r.task().job().id(), false, bucket, r.task().attempt().number(), r.task().job().epoch(), new TidemarkException(
                    io.tidemark.protocol.FailureKind.TRANSIENT, "worker " + id + " has no free slot"));
            return Behaviors.same();
        }
        busy[slot] = true;
        LOG.info("running shard {} attempt {} of {}", bucket, r.task().attempt().number(), r.task().job().id());
        context.pipeToSelf(CompletableFuture.supplyAsync(() -> runner.reduce(r.task()), blocking), (decision, failure) ->
                new Finished(slot, r.task().job().id(), false, bucket, r.task().attempt().number(), r.task().job().epoch(), null, failure));
        return Behaviors.same();
    }

    private Behavior<WorkerProtocol.Command> onFinished(Finished f)
    {
        busy[f.slot()] = false;
        Throwable failure = f.failure() instanceof java.util.concurrent.CompletionException && f.failure().getCause() != null
                ? f.failure().getCause() : f.failure();
        if (failure == null && !f.map()) {
            LOG.info("shard {} attempt {} shipped and committed (or refused as stale)", f.index(), f.attempt());
        }
        if (failure != null) {
            report(f.job(), f.map(), f.index(), f.attempt(), f.epoch(), failure);
        }
        else if (f.map()) {
            coordinator.tell(new CoordinatorProtocol.MapDone(f.job(), f.epoch(), id, f.index(), f.attempt(), f.mapResult().rows(),
                    f.mapResult().spilledBytes(), f.mapResult().fragments()));
        }
        requestWork(f.slot());
        return Behaviors.same();
    }

    private void report(JobId job, boolean map, int index, int attempt, io.tidemark.protocol.Epoch epoch, Throwable failure)
    {
        LOG.warn("{} {} attempt {} failed: {}", map ? "map task" : "shard", index, attempt, Failures.message(failure));
        coordinator.tell(new CoordinatorProtocol.TaskFailed(job, epoch, id, map, index, attempt, Failures.classify(failure),
                Failures.message(failure), failure instanceof FragmentsLost ? ((FragmentsLost) failure).from() : null));
    }

    private int freeSlot(int wanted)
    {
        if (wanted >= 0 && wanted < busy.length && !busy[wanted]) {
            return wanted;
        }
        for (int s = 0; s < busy.length; s++) {
            if (!busy[s]) {
                return s;
            }
        }
        return -1;
    }

    private void requestWork(int slot)
    {
        coordinator.tell(new CoordinatorProtocol.RequestWork(id, slot, runner.address(), context.getSelf()));
    }
}
