package io.tidemark.coordinator;

import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.output.AtomicOutput;
import io.tidemark.engine.output.Manifest;
import io.tidemark.engine.output.SingleFileOutput;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.shard.JoinCounters;
import io.tidemark.protocol.ShardId;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.cluster.JobOrder;
import io.tidemark.protocol.cluster.PiecePath;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * Publishes a job whose shards are all committed, atomically: OUT.parquet as a k-way merge of every
 * committed run in (on key, left ordinal) order, one output range per thread; or, for time-range
 * shards, the file their parts were appended to as they committed ({@link OrderedAppend}); or a
 * directory of the committed part files with a {@code _SUCCESS} manifest (file, rows, bytes,
 * sha256). Then drops the job's collector folder.
 */
public final class OutputPublisher
{
    private OutputPublisher() {}

    /** Returns the rows written. */
    public static long publish(ShardCollector collector, JobOrder job, List<ShardId> shards, BufferAllocator allocator, JoinCounters counters,
            Executor blocking)
    {
        Path target = Paths.get(job.output());
        collector.awaitCommits(job.id(), 60_000);   // the last commit may still be renaming its folder
        if (job.singleFile() && job.timeline()) {
            // time ranges: the file was appended to as shards committed (OrderedAppend)
            try {
                long rows = collector.orderedAppend(job, blocking).finish();
                counters.rowsWritten.add(rows);
                return rows;
            }
            finally {
                collector.abandon(job.id());
            }
        }
        try (AtomicOutput out = new AtomicOutput(target)) {
            long rows;
            if (job.singleFile()) {
                Schema schema = new JoinPlan(job.spec(), InputTable.open(job.left()), InputTable.open(job.right())).output().schema();
                rows = mergeRanges(collector, job, shards, schema, out.temporary(), allocator, counters);
            }
            else {
                Files.createDirectories(out.temporary());
                List<Manifest.Entry> entries = new ArrayList<>();
                rows = 0;
                for (ShardId shard : shards) {
                    for (Path part : files(collector.committedDir(job.id(), shard), ".parquet")) {
                        String piece = part.getFileName().toString().replace("piece-", "").replace(".parquet", "");
                        Path name = out.temporary().resolve(String.format("part-%05d-%s.parquet", shard.bucket(), piece));
                        long partRows = partRows(part);
                        Files.move(part, name);
                        entries.add(Manifest.entry(name, partRows));
                        rows += partRows;
                    }
                }
                Manifest.write(out.temporary(), entries);
            }
            out.publish();
            return rows;
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot publish " + target + ": " + e.getMessage());
        }
        finally {
            collector.abandon(job.id());
        }
    }

    /**
     * Every committed run belongs to one output range (its file name says which): ranges are merged
     * on their own threads into range files, whose row groups are then concatenated in order.
     */
    private static long mergeRanges(ShardCollector collector, JobOrder job, List<ShardId> shards, Schema schema, Path target,
            BufferAllocator allocator, JoinCounters counters)
            throws IOException
    {
        List<List<Path>> ranges = new ArrayList<>();
        for (ShardId shard : shards) {
            for (Path run : files(collector.committedDir(job.id(), shard), ".arrows")) {
                int range = PiecePath.rangeOf(run.getFileName().toString());
                while (ranges.size() <= range) {
                    ranges.add(new ArrayList<>());
                }
                ranges.get(range).add(run);
            }
        }
        // at most the job's worker count at once: workers size their run batches for that many ranges (ReduceRunner)
        int threads = Math.max(1, Math.min(Math.min(ranges.size(), job.resources().workers()), Runtime.getRuntime().availableProcessors()));
        // one open row group per merging thread, on this process's heap
        long rowGroupBytes = Math.max(1L << 20, Math.min(job.resources().rowGroupBytes(), Runtime.getRuntime().maxMemory() * 2 / 5 / threads));
        try (SpillDir merge = new SpillDir(collector.jobDir(job.id()), "merge")) {
            return SingleFileOutput.write(ranges, schema, target, merge, allocator, threads, rowGroupBytes, job.resources().rowGroupRows(),
                    counters);
        }
    }

    /** The rows of a committed part file, from the count the collector wrote beside it. */
    static long partRows(Path part)
            throws IOException
    {
        return Long.parseLong(Files.readString(part.resolveSibling(part.getFileName() + ".rows")).trim());
    }

    /** A committed shard folder's files with this suffix, in name order (pieces in order). */
    static List<Path> files(Path dir, String suffix)
            throws IOException
    {
        if (!Files.isDirectory(dir)) {
            throw TidemarkException.fatal("committed shard folder " + dir + " is missing");
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }
}
