package io.tidemark.coordinator;

import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.ShardId;
import io.tidemark.protocol.WorkerId;
import io.tidemark.protocol.cluster.CommitDecision;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.FragmentRef;
import io.tidemark.protocol.cluster.JobOrder;
import io.tidemark.protocol.cluster.JobStatus;
import io.tidemark.protocol.cluster.MapTask;
import io.tidemark.protocol.cluster.ReduceTask;
import io.tidemark.protocol.cluster.ShardStats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One job's scheduling state, without actors: map tasks first, then one reduce task per hash bucket
 * (a shard) once every map output exists. Only the current attempt of a task may report or commit;
 * a lost worker's running tasks and its map outputs are re-run; a task gets {@link #MAX_ATTEMPTS}
 * tries. Pure and single-threaded: the coordinator actor drives it, tests drive it directly.
 */
final class JobState
{
    static final int MAX_ATTEMPTS = 5;   // the first try and 4 retries

    enum Phase { MAPPING, JOINING, WRITING, DONE, FAILED }

    /** What a free worker slot should run next. */
    record Assignment(MapTask map, ReduceTask reduce) {}

    private final JobOrder order;
    private final List<MapTask> maps;
    private final TaskTrack[] mapTracks;
    private final TaskTrack[] shardTracks;
    private final ShardStats[] stats;
    private final long leftRows;
    private final long rightRows;
    private final long started = System.currentTimeMillis();
    private final long taskTimeoutMillis;
    private Phase phase = Phase.MAPPING;
    private String error;
    private int retries;
    private long rowsWritten;
    private long writingSince;
    /** Output range cuts of a single-file job, fixed the first time every map output exists. */
    private long[] cuts;

    JobState(JobOrder order, List<MapTask> maps, long leftRows, long rightRows, long taskTimeoutMillis)
    {
        this.order = requireNonNull(order, "order is null");
        this.maps = List.copyOf(maps);
        this.leftRows = leftRows;
        this.rightRows = rightRows;
        this.taskTimeoutMillis = taskTimeoutMillis;
        this.mapTracks = TaskTrack.array(maps.size());
        this.shardTracks = TaskTrack.array(order.buckets());
        this.stats = new ShardStats[order.buckets()];
    }

    JobOrder order()
    {
        return order;
    }

    Phase phase()
    {
        return phase;
    }

    boolean finished()
    {
        return phase == Phase.DONE || phase == Phase.FAILED;
    }

    String error()
    {
        return error;
    }

    /** The next task for a free slot, or null; reduces wait for every map output and a collector. */
    Assignment next(WorkerId worker, int slot, FlightAddress at, FlightAddress collector, long now)
    {
        if (finished() || phase == Phase.WRITING) {
            return null;
        }
        for (int m = 0; m < mapTracks.length; m++) {
            if (mapTracks[m].status == TaskTrack.Status.PENDING) {
                mapTracks[m].start(worker, slot, at, now + taskTimeoutMillis);
                return new Assignment(maps.get(m).withAttempt(order, mapTracks[m].current()), null);
            }
        }
        if (!TaskTrack.allDone(mapTracks) || collector == null) {
            return null;
        }
        phase = Phase.JOINING;
        if (cuts == null) {
            // a time plan's shards are its output ranges already: each is written as one part, appended in order
            cuts = order.timeline() ? new long[0] : OutputRanges.cuts(order, Arrays.stream(mapTracks).flatMap(t -> t.fragments.stream()).toList());
        }
        for (int b = 0; b < shardTracks.length; b++) {
            if (shardTracks[b].status == TaskTrack.Status.PENDING) {
                shardTracks[b].start(worker, slot, at, now + taskTimeoutMillis);
                return new Assignment(null, new ReduceTask(order, new AttemptId(new ShardId(b, 0), shardTracks[b].current()),
                        fragments(b), collector, cuts));
            }
        }
        return null;
    }

    /** True when this worker slot already runs a task of this job (a repeated request for work). */
    boolean busy(WorkerId worker, int slot)
    {
        for (TaskTrack t : all()) {
            if (t.runsOn(worker) && t.slot == slot) {
                return true;
            }
        }
        return false;
    }

    void mapDone(int index, int attempt, long rows, long spilled, List<FragmentRef> fragments)
    {
        TaskTrack t = mapTracks[index];
        if (t.status != TaskTrack.Status.RUNNING || !t.isCurrent(attempt)) {
            return;   // a stale attempt: its output is not used
        }
        t.status = TaskTrack.Status.DONE;
        t.rows = rows;
        t.spilled = spilled;
        t.fragments = List.copyOf(fragments);
    }

    void failed(boolean map, int index, int attempt, FailureKind kind, String message, FlightAddress lostFrom)
    {
        TaskTrack t = (map ? mapTracks : shardTracks)[index];
        if (t.status != TaskTrack.Status.RUNNING || !t.isCurrent(attempt) || finished()) {
            return;
        }
        switch (kind) {
            case FATAL:
                fail(message);
                return;
            case INPUT_LOST:
                if (lostFrom != null) {
                    outputsLost(lostFrom, message);
                }
                retry(map, index, message);
                return;
            case TRANSIENT:
                retry(map, index, message);
                return;
        }
    }

    /** A worker left the cluster: its running tasks and (while still needed) its map outputs are re-run. */
    void workerLost(WorkerId worker, FlightAddress fragments)
    {
        String why = "worker " + worker + " was lost";
        for (int m = 0; m < mapTracks.length; m++) {
            if (mapTracks[m].runsOn(worker)) {
                retry(mapTracks[m], "map task " + m, why);
            }
        }
        for (int b = 0; b < shardTracks.length; b++) {
            if (shardTracks[b].runsOn(worker)) {
                retry(false, b, why);
            }
        }
        if (fragments != null) {
            outputsLost(fragments, why);
        }
    }

    /** Tasks past their deadline are treated as failed (their late reports are then stale). */
    void checkDeadlines(long now)
    {
        if (phase == Phase.WRITING && now - writingSince > taskTimeoutMillis) {
            fail("the collector did not publish the output within " + taskTimeoutMillis / 1000 + " s");
            return;
        }
        for (int m = 0; m < mapTracks.length; m++) {
            expire(mapTracks[m], "map task " + m, now);
        }
        for (int b = 0; b < shardTracks.length; b++) {
            if (shardTracks[b].status == TaskTrack.Status.RUNNING && now > shardTracks[b].deadlineMillis) {
                retry(false, b, "no answer from worker " + shardTracks[b].worker + " within " + taskTimeoutMillis / 1000 + " s");
            }
        }
    }

    CommitDecision commit(AttemptId attempt, Epoch epoch, ShardStats shardStats)
    {
        if (!epoch.equals(order.epoch()) || finished()) {
            return CommitDecision.REFUSED_STALE;
        }
        int b = attempt.shard().bucket();
        if (b >= shardTracks.length) {
            return CommitDecision.REFUSED_STALE;
        }
        TaskTrack t = shardTracks[b];
        if (t.status == TaskTrack.Status.DONE) {
            return t.isCurrent(attempt.number()) ? CommitDecision.COMMIT : CommitDecision.REFUSED_TAKEN;
        }
        if (t.status != TaskTrack.Status.RUNNING || !t.isCurrent(attempt.number())) {
            return CommitDecision.REFUSED_STALE;
        }
        t.status = TaskTrack.Status.DONE;
        stats[b] = shardStats;
        if (TaskTrack.allDone(shardTracks)) {
            phase = Phase.WRITING;
            writingSince = System.currentTimeMillis();
        }
        return CommitDecision.COMMIT;
    }

    List<ShardId> committedShards()
    {
        List<ShardId> shards = new ArrayList<>();
        for (int b = 0; b < shardTracks.length; b++) {
            if (shardTracks[b].status == TaskTrack.Status.DONE) {
                shards.add(new ShardId(b, 0));
            }
        }
        return shards;
    }

    /** The collector's progress while it writes the output. */
    void written(long rows)
    {
        if (phase == Phase.WRITING) {
            rowsWritten = rows;
        }
    }

    void finalized(long rows, String failure)
    {
        if (failure != null) {
            fail(failure);
            return;
        }
        rowsWritten = rows;
        phase = Phase.DONE;
    }

    void fail(String message)
    {
        if (!finished()) {
            phase = Phase.FAILED;
            error = message;
        }
    }

    JobStatus status(int workers)
    {
        ProgressTally tally = ProgressTally.of(mapTracks, stats);
        return new JobStatus(order.id(), phase.name(), leftRows, rightRows, tally.read(), tally.sorted(), tally.joined(), tally.out(),
                tally.matched(), phase == Phase.DONE || phase == Phase.WRITING ? rowsWritten : 0, tally.mapsDone(), mapTracks.length, tally.committed(),
                shardTracks.length, tally.spilled(), retries, workers, System.currentTimeMillis() - started, error);
    }

    /**
     * Runs a failed task again. A shard of the one-sort plan is not run again on its own: the rows
     * carried into the shards after it already hold its rows, so the job fails instead.
     */
    private void retry(boolean map, int index, String why)
    {
        if (!map && order.timeline()) {
            fail("shard " + index + " (a time range of the one-sort plan, joined in order) failed: " + why);
            return;
        }
        retry((map ? mapTracks : shardTracks)[index], (map ? "map task " : "shard ") + index, why);
    }

    private void retry(TaskTrack t, String what, String why)
    {
        retries++;
        if (t.attempts >= MAX_ATTEMPTS) {
            fail(what + " failed " + t.attempts + " times; last: " + why);
            return;
        }
        t.reset(why);
    }

    private void expire(TaskTrack t, String what, long now)
    {
        if (t.status == TaskTrack.Status.RUNNING && now > t.deadlineMillis) {
            retry(t, what, "no answer from worker " + t.worker + " within " + taskTimeoutMillis / 1000 + " s");
        }
    }

    /** Map outputs served from {@code at} are gone: re-run those maps unless every shard is already committed. */
    private void outputsLost(FlightAddress at, String why)
    {
        if (TaskTrack.allDone(shardTracks)) {
            return;
        }
        for (int m = 0; m < mapTracks.length; m++) {
            TaskTrack t = mapTracks[m];
            if (t.status == TaskTrack.Status.DONE && at.equals(t.at)) {
                retry(t, "map task " + m, why + " (its map output is gone)");
            }
        }
        if (!TaskTrack.allDone(mapTracks) && phase == Phase.JOINING) {
            phase = Phase.MAPPING;
        }
    }

    private List<FragmentRef> fragments(int bucket)
    {
        List<FragmentRef> refs = new ArrayList<>();
        for (TaskTrack t : mapTracks) {
            for (FragmentRef f : t.fragments) {
                if (f.bucket() == bucket) {
                    refs.add(f);
                }
            }
        }
        return refs;
    }

    private List<TaskTrack> all()
    {
        List<TaskTrack> list = new ArrayList<>(List.of(mapTracks));
        list.addAll(List.of(shardTracks));
        return list;
    }
}
