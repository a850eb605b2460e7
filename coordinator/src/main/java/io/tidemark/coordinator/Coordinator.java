package io.tidemark.coordinator;

import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.WorkerId;
import io.tidemark.protocol.cluster.CollectorProtocol;
import io.tidemark.protocol.cluster.CoordinatorProtocol;
import io.tidemark.protocol.cluster.CoordinatorProtocol.CollectorUp;
import io.tidemark.protocol.cluster.CoordinatorProtocol.CommitReply;
import io.tidemark.protocol.cluster.CoordinatorProtocol.CommitRequest;
import io.tidemark.protocol.cluster.CoordinatorProtocol.Finalized;
import io.tidemark.protocol.cluster.CoordinatorProtocol.MapDone;
import io.tidemark.protocol.cluster.CoordinatorProtocol.RequestWork;
import io.tidemark.protocol.cluster.CoordinatorProtocol.StatusQuery;
import io.tidemark.protocol.cluster.CoordinatorProtocol.Submit;
import io.tidemark.protocol.cluster.CoordinatorProtocol.SubmitReply;
import io.tidemark.protocol.cluster.CoordinatorProtocol.TaskFailed;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.JobOrder;
import io.tidemark.protocol.cluster.JobStatus;
import io.tidemark.protocol.cluster.WorkerProtocol;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The cluster singleton: schedules jobs one at a time on workers that pull work, is the commit
 * authority for shard outputs, and tells the collector to publish when every shard is in. A worker
 * is lost when it leaves the Receptionist listing or its actor stops (one path for both); its tasks
 * and map outputs are re-run. Its epoch (start time) is stamped on every task; reports and commit
 * requests from other epochs are ignored.
 */
public final class Coordinator
{
    private static final ServiceKey<WorkerProtocol.Command> WORKERS = WorkerProtocol.KEY;

    private record Tick() implements CoordinatorProtocol.Command {}

    private record WorkersListed(Set<ActorRef<WorkerProtocol.Command>> refs) implements CoordinatorProtocol.Command {}

    private record WorkerGone(WorkerId worker) implements CoordinatorProtocol.Command {}

    private record CollectorGone() implements CoordinatorProtocol.Command {}

    private record KnownWorker(ActorRef<WorkerProtocol.Command> ref, FlightAddress fragments) {}

    private final ActorContext<CoordinatorProtocol.Command> context;
    private final Epoch epoch = new Epoch(System.currentTimeMillis());
    private final long taskTimeoutMillis;
    private final Map<WorkerId, KnownWorker> workers = new HashMap<>();
    private final Map<String, RequestWork> parked = new LinkedHashMap<>();
    private final ArrayDeque<JobState> queue = new ArrayDeque<>();
    private final Map<JobId, JobStatus> finished = new LinkedHashMap<>();
    private JobState job;
    private FlightAddress collector;
    private ActorRef<CollectorProtocol.Command> collectorRef;
    /** The current job's publish was ordered (sent once). */
    private boolean finalizing;
    /** The collector was told the current job began (a single file written as time-range shards commit). */
    private boolean expected;

    private Coordinator(ActorContext<CoordinatorProtocol.Command> context, Duration taskTimeout)
    {
        this.context = context;
        this.taskTimeoutMillis = taskTimeout.toMillis();
    }

    public static Behavior<CoordinatorProtocol.Command> create(Duration taskTimeout)
    {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new Tick(), Duration.ofSeconds(1));
            ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class,
                    l -> new WorkersListed(l.getServiceInstances(WORKERS)));
            context.getSystem().receptionist().tell(Receptionist.subscribe(WORKERS, listings));
            context.getLog().info("coordinator up, epoch {}", System.currentTimeMillis());
            return new Coordinator(context, taskTimeout).behavior();
        }));
    }

    private Behavior<CoordinatorProtocol.Command> behavior()
    {
        return Behaviors.receive(CoordinatorProtocol.Command.class)
                .onMessage(RequestWork.class, this::onRequestWork)
                .onMessage(MapDone.class, this::onMapDone)
                .onMessage(TaskFailed.class, this::onTaskFailed)
                .onMessage(CommitRequest.class, this::onCommit)
                .onMessage(CollectorUp.class, this::onCollectorUp)
                .onMessage(Submit.class, this::onSubmit)
                .onMessage(StatusQuery.class, this::onStatus)
                .onMessage(Finalized.class, this::onFinalized)
                .onMessage(CoordinatorProtocol.Written.class, w -> {
                    if (current(w.job(), w.epoch())) {
                        job.written(w.rows());
                    }
                    return Behaviors.same();
                })
                .onMessage(WorkersListed.class, this::onListing)
                .onMessage(WorkerGone.class, m -> workerLost(m.worker()))
                .onMessage(CollectorGone.class, m -> onCollectorGone())
                .onMessage(Tick.class, m -> onTick())
                .build();
    }

    private Behavior<CoordinatorProtocol.Command> onRequestWork(RequestWork r)
    {
        if (!workers.containsKey(r.worker())) {
            workers.put(r.worker(), new KnownWorker(r.replyTo(), r.fragments()));
            context.watchWith(r.replyTo(), new WorkerGone(r.worker()));
            context.getLog().info("worker {} joined (fragments at {})", r.worker(), r.fragments());
        }
        if (job == null || !job.busy(r.worker(), r.slot())) {
            parked.put(r.worker() + "/" + r.slot(), r);
        }
        return dispatch();
    }

    private Behavior<CoordinatorProtocol.Command> onMapDone(MapDone m)
    {
        if (current(m.job(), m.epoch())) {
            job.mapDone(m.index(), m.attempt(), m.rows(), m.spilledBytes(), m.fragments());
        }
        return dispatch();
    }

    private Behavior<CoordinatorProtocol.Command> onTaskFailed(TaskFailed f)
    {
        if (current(f.job(), f.epoch())) {
            context.getLog().warn("{} {} attempt {} failed on {} ({}): {}", f.map() ? "map task" : "shard", f.index(), f.attempt(),
                    f.worker(), f.kind(), f.message());
            job.failed(f.map(), f.index(), f.attempt(), f.kind(), f.message(), f.lostFrom());
        }
        return dispatch();
    }

    private Behavior<CoordinatorProtocol.Command> onCommit(CommitRequest c)
    {
        io.tidemark.protocol.cluster.CommitDecision decision = current(c.job(), c.epoch())
                ? job.commit(c.attempt(), c.epoch(), c.stats())
                : io.tidemark.protocol.cluster.CommitDecision.REFUSED_STALE;
        context.getLog().info("commit request: shard {} attempt {} of {} -> {}", c.attempt().shard().bucket(), c.attempt().number(), c.job(), decision);
        c.replyTo().tell(new CommitReply(decision));
        return dispatch();
    }

    private Behavior<CoordinatorProtocol.Command> onCollectorUp(CollectorUp c)
    {
        if (!c.flight().equals(collector)) {
            collector = c.flight();
            collectorRef = c.ref();
            context.watchWith(c.ref(), new CollectorGone());
            context.getLog().info("collector at {}", c.flight());
        }
        return dispatch();
    }

    private Behavior<CoordinatorProtocol.Command> onCollectorGone()
    {
        collector = null;
        collectorRef = null;
        if (job != null && !job.finished()) {
            job.fail("the collector left the cluster; shard outputs it held are gone");
        }
        return dispatch();
    }

    private Behavior<CoordinatorProtocol.Command> onSubmit(Submit s)
    {
        JobOrder order = new JobOrder(s.job(), epoch, s.spec(), s.left(), s.right(), s.output(), s.resources(), s.buckets(), s.timeCuts());
        queue.add(new JobState(order, s.maps(), s.leftRows(), s.rightRows(), taskTimeoutMillis));
        s.replyTo().tell(new SubmitReply(s.job(), null));
        context.getLog().info("job {} queued: {} map tasks, {} shards ({})", s.job(), s.maps().size(), s.buckets(),
                order.timeline() ? "time ranges" : "hash buckets");
        return dispatch();
    }

    private Behavior<CoordinatorProtocol.Command> onStatus(StatusQuery q)
    {
        JobStatus status = finished.get(q.job());
        if (status == null && job != null && job.order().id().equals(q.job())) {
            status = job.status(workers.size());
        }
        if (status == null) {
            for (JobState queued : queue) {
                if (queued.order().id().equals(q.job())) {
                    status = queued.status(workers.size());
                }
            }
        }
        q.replyTo().tell(status != null ? status : new JobStatus(q.job(), "UNKNOWN", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                workers.size(), 0, "no such job at this coordinator (epoch " + epoch.value() + ")"));
        return Behaviors.same();
    }

    private Behavior<CoordinatorProtocol.Command> onFinalized(Finalized f)
    {
        if (current(f.job(), f.epoch())) {
            job.finalized(f.rowsWritten(), f.error());
        }
        return dispatch();
    }

    private Behavior<CoordinatorProtocol.Command> onListing(WorkersListed listed)
    {
        Set<ActorRef<WorkerProtocol.Command>> present = new HashSet<>(listed.refs());
        for (Map.Entry<WorkerId, KnownWorker> w : Map.copyOf(workers).entrySet()) {
            if (!present.contains(w.getValue().ref())) {
                workerLost(w.getKey());
            }
        }
        return Behaviors.same();
    }

    /** The one "worker lost" path: listing removal and actor termination both end here. */
    private Behavior<CoordinatorProtocol.Command> workerLost(WorkerId worker)
    {
        KnownWorker known = workers.remove(worker);
        if (known == null) {
            return Behaviors.same();
        }
        parked.values().removeIf(r -> r.worker().equals(worker));
        context.getLog().warn("worker {} lost; its tasks and map outputs are re-run", worker);
        if (job != null) {
            job.workerLost(worker, known.fragments());
        }
        return dispatch();
    }

    private Behavior<CoordinatorProtocol.Command> onTick()
    {
        if (job != null) {
            job.checkDeadlines(System.currentTimeMillis());
        }
        return dispatch();
    }

    /** Moves finished jobs out, starts the next, and hands tasks to parked slots. */
    private Behavior<CoordinatorProtocol.Command> dispatch()
    {
        if (job != null && job.phase() == JobState.Phase.WRITING && collectorRef != null && !finalizing) {
            finalizing = true;
            collectorRef.tell(new CollectorProtocol.Finalize(job.order(), job.committedShards(), context.getSelf()));
        }
        if (job != null && job.finished()) {
            finish();
        }
        if (job == null && !queue.isEmpty()) {
            job = queue.poll();
            finalizing = false;
            expected = false;
        }
        if (job == null) {
            return Behaviors.same();
        }
        if (!expected && collectorRef != null && job.order().timeline() && job.order().singleFile() && !job.finished()) {
            expected = true;
            collectorRef.tell(new CollectorProtocol.Expect(job.order()));
        }
        Iterator<RequestWork> it = parked.values().iterator();
        while (it.hasNext()) {
            RequestWork r = it.next();
            JobState.Assignment a = job.next(r.worker(), r.slot(), r.fragments(), collector, System.currentTimeMillis());
            if (a == null) {
                break;
            }
            it.remove();
            r.replyTo().tell(a.map() != null ? new WorkerProtocol.AssignMap(r.slot(), a.map())
                    : new WorkerProtocol.AssignReduce(r.slot(), a.reduce()));
        }
        return Behaviors.same();
    }

    private void finish()
    {
        JobStatus status = job.status(workers.size());
        finished.put(job.order().id(), status);
        while (finished.size() > 64) {
            finished.remove(finished.keySet().iterator().next());
        }
        context.getLog().info("job {} {}{}", job.order().id(), status.state(), status.error() == null ? "" : ": " + status.error());
        for (KnownWorker w : workers.values()) {
            w.ref().tell(new WorkerProtocol.JobOver(job.order().id()));
        }
        if (job.phase() == JobState.Phase.FAILED && collectorRef != null) {
            collectorRef.tell(new CollectorProtocol.Abandon(job.order().id()));
        }
        job = null;
    }

    private boolean current(JobId id, Epoch stamped)
    {
        return job != null && job.order().id().equals(id) && epoch.equals(stamped);
    }
}
