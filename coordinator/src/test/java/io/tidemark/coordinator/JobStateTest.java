package io.tidemark.coordinator;

import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.ResourceSpec;
import io.tidemark.protocol.ShardId;
import io.tidemark.protocol.WorkerId;
import io.tidemark.protocol.cluster.CommitDecision;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.FragmentRef;
import io.tidemark.protocol.cluster.JobOrder;
import io.tidemark.protocol.cluster.MapTask;
import io.tidemark.protocol.cluster.ShardStats;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The coordinator's scheduling rules without actors: order of work, stale attempts, exactly-once commit, worker loss, retries, deadlines. */
class JobStateTest
{
    private static final Epoch EPOCH = new Epoch(7);
    private static final FlightAddress COLLECTOR = new FlightAddress("127.0.0.9", 9);
    private static final WorkerId A = new WorkerId("a");
    private static final WorkerId B = new WorkerId("b");
    private static final FlightAddress AT_A = new FlightAddress("127.0.0.2", 2);
    private static final FlightAddress AT_B = new FlightAddress("127.0.0.3", 3);
    private static final ShardStats STATS = new ShardStats(1, 2, 1, 1, 1, 0);

    private static JobState job(int maps, int buckets, long timeoutMillis)
    {
        JobOrder order = new JobOrder(new JobId("j"), EPOCH, JoinSpec.asof("ts", List.of("url")), "l", "r", "out.parquet",
                new ResourceSpec(1L << 30, 2, buckets, "/tmp", 1 << 20, 1000), buckets);
        List<MapTask> tasks = new java.util.ArrayList<>();
        for (int m = 0; m < maps; m++) {
            tasks.add(new MapTask(order, m, 0, m % 2 == 0, new int[] {0}, new int[] {m}));
        }
        return new JobState(order, tasks, 10, 10, timeoutMillis);
    }

    private static List<FragmentRef> fragments(FlightAddress at, int map, int buckets)
    {
        List<FragmentRef> refs = new java.util.ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            refs.add(new FragmentRef(at, "m" + map + "-b" + b, map % 2 == 0, b, map, 5, 50, new long[] {0}, new long[] {1}));
        }
        return refs;
    }

    @Test
    void aTimeRangeShardIsNotRetriedOnItsOwnButAMapIs()
    {
        JobOrder order = new JobOrder(new JobId("t"), EPOCH, JoinSpec.asof("ts", List.of("url")), "l", "r", "out.parquet",
                new ResourceSpec(1L << 30, 2, 0, "/tmp", 1 << 20, 1000), 3, new long[] {10, 20});
        JobState job = new JobState(order, List.of(new MapTask(order, 0, 0, true, new int[] {0}, new int[] {0})), 10, 10, 60_000);
        job.next(A, 0, AT_A, COLLECTOR, 0);
        job.failed(true, 0, 0, FailureKind.TRANSIENT, "disk hiccup", null);
        JobState.Assignment again = job.next(A, 0, AT_A, COLLECTOR, 0);
        assertThat(again.map().attempt()).as("a map task of a time plan is retried").isEqualTo(1);
        job.mapDone(0, 1, 5, 0, fragments(AT_A, 0, 3));
        JobState.Assignment s0 = job.next(A, 0, AT_A, COLLECTOR, 0);
        JobState.Assignment s1 = job.next(A, 1, AT_A, COLLECTOR, 0);
        assertThat(s0.reduce().attempt().shard().bucket()).as("shards go out in order").isZero();
        assertThat(s1.reduce().attempt().shard().bucket()).isEqualTo(1);
        assertThat(s0.reduce().cuts()).as("each time range is one output range").isEmpty();
        job.failed(false, 1, 0, FailureKind.TRANSIENT, "collector hiccup", null);
        assertThat(job.phase()).isEqualTo(JobState.Phase.FAILED);
        assertThat(job.error()).contains("shard 1").contains("collector hiccup");
    }

    @Test
    void mapsRunFirstThenShardsOnceACollectorIsKnown()
    {
        JobState job = job(2, 2, 60_000);
        JobState.Assignment m0 = job.next(A, 0, AT_A, null, 0);
        JobState.Assignment m1 = job.next(B, 0, AT_B, null, 0);
        assertThat(m0.map().index()).isZero();
        assertThat(m1.map().index()).isEqualTo(1);
        assertThat(m0.map().job().epoch()).isEqualTo(EPOCH);
        assertThat(job.next(A, 1, AT_A, COLLECTOR, 0)).as("no shard before every map output exists").isNull();
        job.mapDone(0, 0, 5, 0, fragments(AT_A, 0, 2));
        job.mapDone(1, 0, 5, 0, fragments(AT_B, 1, 2));
        assertThat(job.next(A, 1, AT_A, null, 0)).as("no shard without a collector").isNull();
        JobState.Assignment s0 = job.next(A, 1, AT_A, COLLECTOR, 0);
        assertThat(s0.reduce().attempt()).isEqualTo(new AttemptId(new ShardId(0, 0), 0));
        assertThat(s0.reduce().fragments()).hasSize(2).allMatch(f -> f.bucket() == 0);
        assertThat(job.busy(A, 1)).isTrue();
    }

    @Test
    void eachShardCommitsOnceAndOnlyFromItsCurrentAttemptAndEpoch()
    {
        JobState job = job(1, 1, 60_000);
        job.next(A, 0, AT_A, COLLECTOR, 0);
        job.mapDone(0, 0, 5, 0, fragments(AT_A, 0, 1));
        job.next(A, 0, AT_A, COLLECTOR, 0);                       // shard 0, attempt 0 on A
        job.failed(false, 0, 0, FailureKind.TRANSIENT, "flaky", null);
        job.next(B, 0, AT_B, COLLECTOR, 0);                       // shard 0, attempt 1 on B
        AttemptId stale = new AttemptId(new ShardId(0, 0), 0);
        AttemptId current = new AttemptId(new ShardId(0, 0), 1);
        assertThat(job.commit(stale, EPOCH, STATS)).isEqualTo(CommitDecision.REFUSED_STALE);
        assertThat(job.commit(current, new Epoch(6), STATS)).isEqualTo(CommitDecision.REFUSED_STALE);
        assertThat(job.commit(current, EPOCH, STATS)).isEqualTo(CommitDecision.COMMIT);
        assertThat(job.commit(current, EPOCH, STATS)).as("asking again is answered the same").isEqualTo(CommitDecision.COMMIT);
        assertThat(job.commit(stale, EPOCH, STATS)).isEqualTo(CommitDecision.REFUSED_TAKEN);
        assertThat(job.phase()).isEqualTo(JobState.Phase.WRITING);
        assertThat(job.committedShards()).containsExactly(new ShardId(0, 0));
        job.finalized(1, null);
        assertThat(job.phase()).isEqualTo(JobState.Phase.DONE);
    }

    @Test
    void aLostWorkersRunningShardAndMapOutputsAreRerun()
    {
        JobState job = job(2, 2, 60_000);
        job.next(A, 0, AT_A, COLLECTOR, 0);
        job.next(B, 0, AT_B, COLLECTOR, 0);
        job.mapDone(0, 0, 5, 0, fragments(AT_A, 0, 2));
        job.mapDone(1, 0, 5, 0, fragments(AT_B, 1, 2));
        job.next(A, 0, AT_A, COLLECTOR, 0);                       // shard 0 on A
        job.next(B, 0, AT_B, COLLECTOR, 0);                       // shard 1 on B
        job.mapDone(1, 0, 5, 0, fragments(AT_B, 1, 2));           // a late duplicate report changes nothing
        job.workerLost(A, AT_A);
        assertThat(job.phase()).isEqualTo(JobState.Phase.MAPPING);
        JobState.Assignment again = job.next(B, 1, AT_B, COLLECTOR, 0);
        assertThat(again.map().index()).as("A's map output is gone: map 0 runs again").isZero();
        assertThat(again.map().attempt()).isEqualTo(1);
        job.mapDone(0, 0, 5, 0, fragments(AT_A, 0, 2));           // the lost attempt's report is stale
        assertThat(job.next(B, 1, AT_B, COLLECTOR, 0)).isNull();
        job.mapDone(0, 1, 5, 0, fragments(AT_B, 0, 2));
        JobState.Assignment shard = job.next(B, 1, AT_B, COLLECTOR, 0);
        assertThat(shard.reduce().attempt()).isEqualTo(new AttemptId(new ShardId(0, 0), 1));
        assertThat(shard.reduce().fragments()).allMatch(f -> f.at().equals(AT_B));
    }

    @Test
    void inputLostOnFetchRerunsTheMapsServedThere()
    {
        JobState job = job(2, 1, 60_000);
        job.next(A, 0, AT_A, COLLECTOR, 0);
        job.next(B, 0, AT_B, COLLECTOR, 0);
        job.mapDone(0, 0, 5, 0, fragments(AT_A, 0, 1));
        job.mapDone(1, 0, 5, 0, fragments(AT_B, 1, 1));
        job.next(B, 0, AT_B, COLLECTOR, 0);
        job.failed(false, 0, 0, FailureKind.INPUT_LOST, "cannot fetch", AT_A);
        JobState.Assignment rerun = job.next(B, 0, AT_B, COLLECTOR, 0);
        assertThat(rerun.map().index()).isZero();
    }

    @Test
    void retriesAreBoundedAndFatalFailsAtOnce()
    {
        JobState job = job(1, 1, 60_000);
        for (int i = 0; i < JobState.MAX_ATTEMPTS; i++) {
            JobState.Assignment a = job.next(A, 0, AT_A, COLLECTOR, 0);
            job.failed(true, 0, a.map().attempt(), FailureKind.TRANSIENT, "disk hiccup " + i, null);
        }
        assertThat(job.phase()).isEqualTo(JobState.Phase.FAILED);
        assertThat(job.error()).contains("map task 0 failed 5 times").contains("disk hiccup 4");

        JobState bad = job(1, 1, 60_000);
        bad.next(A, 0, AT_A, COLLECTOR, 0);
        bad.failed(true, 0, 0, FailureKind.FATAL, "left.parquet: column ts: not a timestamp", null);
        assertThat(bad.phase()).isEqualTo(JobState.Phase.FAILED);
        assertThat(bad.error()).isEqualTo("left.parquet: column ts: not a timestamp");
    }

    @Test
    void aTaskPastItsDeadlineIsRerunAndItsLateReportIgnored()
    {
        JobState job = job(1, 1, 1_000);
        job.next(A, 0, AT_A, COLLECTOR, 0);
        job.checkDeadlines(500);
        assertThat(job.next(B, 0, AT_B, COLLECTOR, 600)).isNull();
        job.checkDeadlines(1_001);
        JobState.Assignment retry = job.next(B, 0, AT_B, COLLECTOR, 1_002);
        assertThat(retry.map().attempt()).isEqualTo(1);
        job.mapDone(0, 0, 5, 0, fragments(AT_A, 0, 1));
        assertThat(job.status(2).mapsDone()).isZero();
        job.mapDone(0, 1, 5, 0, fragments(AT_B, 0, 1));
        assertThat(job.status(2).mapsDone()).isEqualTo(1);
        assertThat(job.status(2).retries()).isEqualTo(1);
    }

    @Test
    void aPublishThatNeverEndsFailsTheJob()
    {
        JobState job = job(1, 1, 1_000);
        job.next(A, 0, AT_A, COLLECTOR, 0);
        job.mapDone(0, 0, 5, 0, fragments(AT_A, 0, 1));
        job.next(A, 0, AT_A, COLLECTOR, 0);
        assertThat(job.commit(new AttemptId(new ShardId(0, 0), 0), EPOCH, STATS)).isEqualTo(CommitDecision.COMMIT);
        job.checkDeadlines(System.currentTimeMillis());
        assertThat(job.phase()).isEqualTo(JobState.Phase.WRITING);
        job.checkDeadlines(System.currentTimeMillis() + 1_001);
        assertThat(job.phase()).isEqualTo(JobState.Phase.FAILED);
        assertThat(job.error()).contains("did not publish");
    }
}
