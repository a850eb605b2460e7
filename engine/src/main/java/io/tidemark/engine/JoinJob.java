package io.tidemark.engine;

import io.tidemark.engine.io.InputFile;
import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.output.AtomicOutput;
import io.tidemark.engine.output.Manifest;
import io.tidemark.engine.output.PartFileSink;
import io.tidemark.engine.output.SingleFileOutput;
import io.tidemark.engine.output.RunSink;
import io.tidemark.engine.partition.Fragments;
import io.tidemark.engine.partition.Partitioner;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.Side;
import io.tidemark.engine.shard.BucketRunner;
import io.tidemark.engine.shard.ExactReport;
import io.tidemark.engine.shard.JoinCounters;
import io.tidemark.engine.shard.Piece;
import io.tidemark.engine.shard.PieceTask;
import io.tidemark.engine.shard.SinkFactory;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.ResourceSpec;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static java.util.Objects.requireNonNull;

/**
 * One join from Parquet to Parquet on this machine: partition both sides into hash buckets (map),
 * cut oversized buckets into time pieces, [check an exact join], join every piece (reduce), then
 * either merge the sorted shard runs into one file or publish the part files with a manifest.
 * Every phase runs on {@code workers} threads; the output appears atomically or not at all.
 */
public final class JoinJob
{
    private final JoinSpec spec;
    private final String leftSpec;
    private final String rightSpec;
    private final Path output;
    private final ResourceSpec resources;
    private final MemoryBudget budget;
    private final JoinCounters counters = new JoinCounters();
    private volatile Phase phase = Phase.PLAN;
    private volatile long leftRows;
    private volatile long rightRows;
    private volatile int timelineRanges;

    public enum Phase { PLAN, READ, SORT, JOIN, WRITE, DONE }

    public JoinJob(JoinSpec spec, String left, String right, Path output, ResourceSpec resources)
    {
        this(spec, left, right, output, resources, new MemoryBudget(resources, Runtime.getRuntime().maxMemory()));
    }

    public JoinJob(JoinSpec spec, String left, String right, Path output, ResourceSpec resources, MemoryBudget budget)
    {
        this.spec = requireNonNull(spec, "spec is null");
        this.leftSpec = requireNonNull(left, "left is null");
        this.rightSpec = requireNonNull(right, "right is null");
        this.output = requireNonNull(output, "output is null");
        this.resources = requireNonNull(resources, "resources is null");
        this.budget = requireNonNull(budget, "budget is null");
    }

    public JoinCounters counters()
    {
        return counters;
    }

    public Phase phase()
    {
        return phase;
    }

    /** Whether the join ran the one-sort plan (time ranges with carried rows, {@link TimelineJoin}) rather than hash shards. */
    public boolean timeline()
    {
        return timelineRanges > 0;
    }

    /** The time ranges of the one-sort plan (0 when the join hashed by key). */
    public int timelineRanges()
    {
        return timelineRanges;
    }

    public long leftRows()
    {
        return leftRows;
    }

    public long rightRows()
    {
        return rightRows;
    }

    public boolean singleFile()
    {
        return output.getFileName().toString().endsWith(".parquet");
    }

    public JobSummary run()
    {
        long started = System.nanoTime();
        InputTable left = InputTable.open(leftSpec);
        InputTable right = InputTable.open(rightSpec);
        JoinPlan plan = new JoinPlan(spec, left, right);
        leftRows = left.rows();
        rightRows = right.rows();
        int workers = resources.workers();
        int buckets = buckets(spec, left, right, resources, budget);
        try (BufferAllocator allocator = new RootAllocator(budget.arrowLimit());
                SpillDir spill = new SpillDir(Paths.get(resources.spillDir()), "join");
                AtomicOutput out = new AtomicOutput(output)) {
            long spillEstimate = left.uncompressedBytes() + right.uncompressedBytes() + 24 * (leftRows + rightRows);
            // --shards names hash buckets: the time plan only when the count is left to the job
            TimelinePlan timelinePlan = resources.shards() == 0 ? TimelinePlan.of(plan, budget, workers, allocator) : null;
            // a hash plan's single-file output also holds sorted runs and range files at once; the time plan spills its inputs only
            spill.require((long) (spillEstimate * (singleFile() && timelinePlan == null ? 2.5 : 1.3)), "spilling both inputs");
            if (timelinePlan != null) {
                return timeline(plan, timelinePlan, allocator, spill, out, started);
            }
            phase = Phase.READ;
            List<Fragments> leftBuckets = partition(plan, Side.LEFT, buckets, allocator, spill);
            List<Fragments> rightBuckets = partition(plan, Side.RIGHT, buckets, allocator, spill);
            phase = Phase.SORT;
            long[] cuts = singleFile() ? SingleFileOutput.cuts(leftBuckets, workers) : new long[0];
            BucketRunner runner = new BucketRunner(plan, allocator, spill, budget.pieceBytes(), budget.pieceRows(), cuts, counters);
            List<List<Piece>> pieces = Workers.map(workers, buckets, b -> runner.pieces(b, leftBuckets.get(b), rightBuckets.get(b)));
            int shards = pieces.stream().mapToInt(List::size).sum();
            if (spec.exact()) {
                ExactReport report = new ExactReport();
                Workers.map(workers, buckets, b -> {
                    pieces.get(b).forEach(p -> runner.check(p, report));
                    return null;
                });
                long max = spec.maxOutputRows() > 0 ? spec.maxOutputRows() : 10 * Math.max(leftRows, rightRows);
                report.verify(plan, max);
            }
            phase = Phase.JOIN;
            List<Manifest.Entry> entries = Collections.synchronizedList(new ArrayList<>());
            List<List<Path>> runs = new ArrayList<>();
            for (int r = 0; r <= cuts.length; r++) {
                runs.add(Collections.synchronizedList(new ArrayList<>()));
            }
            // the merge holds one batch of every run of the ranges its threads merge at once
            long batchBytes = singleFile() ? budget.runBatchBytes(shards * Math.min(cuts.length + 1, workers)) : budget.batchBytes();
            SinkFactory sinks = singleFile()
                    ? id -> new RunSink(spill, id.fileName(), cuts, (range, path) -> runs.get(range).add(path))
                    : id -> new PartFileSink(partPath(out, id), plan.output().schema(), budget.rowGroupBytes(),
                            resources.rowGroupRows(), e -> {
                                entries.add(e);
                                counters.rowsWritten.add(e.rows());
                            });
            if (!singleFile()) {
                createDirectory(out.temporary());
            }
            List<PieceTask> tasks = new ArrayList<>();
            Workers.map(workers, buckets, b -> runner.tasks(pieces.get(b))).forEach(tasks::addAll);
            Workers.map(workers, tasks.size(), t -> {
                runner.join(tasks.get(t), sinks, batchBytes);
                deleteInputs(tasks.get(t), spill);   // free the spill disk as the join goes
                return null;
            });
            phase = Phase.WRITE;
            long rowsOut;
            if (singleFile()) {
                rowsOut = SingleFileOutput.write(runs, plan.output().schema(), out.temporary(), spill, allocator, workers,
                        budget.rowGroupBytes(), resources.rowGroupRows(), counters);
            }
            else {
                Manifest.write(out.temporary(), entries);
                rowsOut = entries.stream().mapToLong(Manifest.Entry::rows).sum();
            }
            out.publish();
            phase = Phase.DONE;
            return new JobSummary(output, leftRows, rightRows, rowsOut, counters.rowsMatched.sum(), shards,
                    counters.spilledBytes.sum(), (System.nanoTime() - started) / 1_000_000, allocator.getPeakMemoryAllocation());
        }
    }

    /** The one-sort plan ({@link TimelineJoin}). */
    private JobSummary timeline(JoinPlan plan, TimelinePlan timelinePlan, BufferAllocator allocator, SpillDir spill, AtomicOutput out,
            long started)
    {
        timelineRanges = timelinePlan.ranges();
        long rowsOut = new TimelineJoin(plan, timelinePlan, budget, resources, counters, allocator, spill, p -> phase = p).into(out, singleFile());
        phase = Phase.WRITE;
        out.publish();
        phase = Phase.DONE;
        return new JobSummary(output, leftRows, rightRows, rowsOut, counters.rowsMatched.sum(), (int) counters.shards.get(),
                counters.spilledBytes.sum(), (System.nanoTime() - started) / 1_000_000, allocator.getPeakMemoryAllocation());
    }

    /**
     * Hash buckets for a join on this machine: {@code --shards}, else enough that each fits the CPU
     * cache and a worker's piece ({@link MemoryBudget#bucketBytes()}, {@link MemoryBudget#pieceRows()}),
     * at least two per worker; one without a by key.
     */
    public static int buckets(JoinSpec spec, InputTable left, InputTable right, ResourceSpec resources, MemoryBudget budget)
    {
        if (!spec.hasBy()) {
            return 1;   // one bucket, cut into time pieces
        }
        if (resources.shards() > 0) {
            return resources.shards();
        }
        long bytes = left.uncompressedBytes() + right.uncompressedBytes() + 24 * (left.rows() + right.rows());
        long byBytes = (long) Math.ceil((double) bytes / budget.bucketBytes());
        long byRows = (long) Math.ceil((left.rows() + right.rows()) / (budget.pieceRows() * 0.6));
        return (int) Math.min(1024, Math.max(2L * resources.workers(), Math.max(byBytes, byRows)));
    }

    private List<Fragments> partition(JoinPlan plan, Side side, int buckets, BufferAllocator allocator, SpillDir spill)
    {
        return partition(plan, side, buckets, t -> new Partitioner(plan, side, buckets, budget.batchBytes(), allocator, spill, t),
                budget, counters);
    }

    /** Partitions one side's row groups on {@link MemoryBudget#readers} threads, each with its own partitioner. */
    static List<Fragments> partition(JoinPlan plan, Side side, int buckets, java.util.function.IntFunction<Partitioner> partitioners,
            MemoryBudget budget, JoinCounters counters)
    {
        InputTable table = plan.table(side);
        List<int[]> units = new ArrayList<>();
        for (int f = 0; f < table.files().size(); f++) {
            for (int g = 0; g < table.files().get(f).footer().getBlocks().size(); g++) {
                if (table.files().get(f).footer().getBlocks().get(g).getRowCount() > 0) {
                    units.add(new int[] {f, g});
                }
            }
        }
        int readers = budget.readers(table);
        int threads = Math.max(1, Math.min(readers, units.size()));
        AtomicInteger next = new AtomicInteger();
        LongAdder spilled = counters.spilledBytes;
        List<Partitioner> done = Workers.map(threads, threads, t -> {
            Partitioner partitioner = partitioners.apply(t);
            try {
                for (int u; (u = next.getAndIncrement()) < units.size(); ) {
                    InputFile file = table.files().get(units.get(u)[0]);
                    partitioner.partition(file, units.get(u)[1], counters.rowsRead::add);
                }
            }
            finally {
                partitioner.close();
            }
            spilled.add(partitioner.bytesWritten());
            return partitioner;
        });
        List<Fragments> merged = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            Fragments all = new Fragments(plan.spillSchema(side).getFields().size());
            for (Partitioner p : done) {
                all.merge(p.fragments(b));
            }
            merged.add(all);
        }
        return merged;
    }

    static Path partPath(AtomicOutput out, io.tidemark.protocol.ShardId id)
    {
        return out.temporary().resolve(id.fileName() + ".parquet");
    }

    static void createDirectory(Path dir)
    {
        try {
            Files.createDirectories(dir);
        }
        catch (java.io.IOException e) {
            throw io.tidemark.protocol.TidemarkException.fatal("cannot create " + dir + ": " + e.getMessage());
        }
    }

    private static void deleteInputs(PieceTask task, SpillDir spill)
    {
        task.piece().left().files().forEach(spill::deleteSoon);
        task.piece().right().files().forEach(spill::deleteSoon);
        task.carried().forEach(f -> f.files().forEach(spill::deleteSoon));
    }
}
