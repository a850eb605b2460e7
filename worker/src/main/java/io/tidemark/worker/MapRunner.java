package io.tidemark.worker;

import io.tidemark.engine.partition.Fragments;
import io.tidemark.engine.partition.Partitioner;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.plan.Side;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.FragmentRef;
import io.tidemark.protocol.cluster.MapTask;
import org.apache.arrow.memory.BufferAllocator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a map task: reads its row groups and partitions them into the job's shards (hash buckets, or
 * time ranges for the one-sort plan), one spill
 * file per bucket in a folder of its own, which this worker's {@link FragmentServer} then serves.
 */
final class MapRunner
{
    /** Key samples travel in messages: at most this many per fragment. */
    private static final int SAMPLE = 64;

    record Result(long rows, long spilledBytes, List<FragmentRef> fragments) {}

    private MapRunner() {}

    static Result run(MapTask task, JobContext job, BufferAllocator allocator, Path spillRoot, FlightAddress self)
    {
        Side side = task.left() ? Side.LEFT : Side.RIGHT;
        SpillDir dir = new SpillDir(job.spill.path(), "map-" + task.index() + "-a" + task.attempt());
        AtomicLong rows = new AtomicLong();
        try {
            job.readers.acquire();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(FailureKind.TRANSIENT, "interrupted before map task " + task.index(), e);
        }
        // fragments are served in the batches written here, and Flight copies each batch it sends into direct memory: keep them small
        // (a time-range job runs on one worker, which reads its fragments in place)
        long batchBytes = task.job().timeline() ? job.budget.batchBytes() : Math.min(job.budget.batchBytes(), ReduceRunner.SHIP_BATCH_BYTES);
        Partitioner partitioner = task.job().timeline()
                ? Partitioner.byTime(job.plan, side, task.job().timeCuts(), batchBytes, allocator, dir, 0)
                : new Partitioner(job.plan, side, task.job().buckets(), batchBytes, allocator, dir, 0);
        try {
            for (int i = 0; i < task.files().length; i++) {
                job.checkLive();
                partitioner.partition(job.plan.table(side).files().get(task.files()[i]), task.rowGroups()[i], rows::addAndGet);
            }
        }
        finally {
            partitioner.close();
            job.readers.release();
        }
        List<FragmentRef> refs = new ArrayList<>();
        int columns = job.plan.spillSchema(side).getFields().size();
        for (int b = 0; b < task.job().buckets(); b++) {
            Fragments f = partitioner.fragments(b);
            if (f.rows() == 0) {
                continue;
            }
            long[] var = new long[columns];
            for (int c = 0; c < columns; c++) {
                var[c] = f.varBytes(c);
            }
            long[] sample = f.sample();
            if (sample.length > SAMPLE) {
                long[] every = new long[SAMPLE];
                for (int i = 0; i < SAMPLE; i++) {
                    every[i] = sample[(int) ((long) i * sample.length / SAMPLE)];
                }
                sample = every;
            }
            String path = spillRoot.toAbsolutePath().normalize().relativize(f.files().get(0).toAbsolutePath().normalize()).toString();
            refs.add(new FragmentRef(self, path, task.left(), b, task.index(), f.rows(), f.bytes(), var, sample));
        }
        return new Result(rows.get(), partitioner.bytesWritten(), refs);
    }
}
