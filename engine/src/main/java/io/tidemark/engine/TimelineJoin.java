package io.tidemark.engine;

import io.tidemark.engine.io.OnSampler;
import io.tidemark.engine.io.ParquetSink;
import io.tidemark.engine.output.AtomicOutput;
import io.tidemark.engine.output.Manifest;
import io.tidemark.engine.output.PartFileSink;
import io.tidemark.engine.partition.Fragments;
import io.tidemark.engine.partition.Partitioner;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.Side;
import io.tidemark.engine.shard.JoinCounters;
import io.tidemark.engine.shard.Piece;
import io.tidemark.engine.shard.PieceSplitter;
import io.tidemark.engine.shard.OrderedFile;
import io.tidemark.engine.shard.SinkFactory;
import io.tidemark.engine.shard.TimelineRunner;
import io.tidemark.protocol.Direction;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.ResourceSpec;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.hadoop.ParquetFileWriter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;

import java.util.List;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The one-sort plan of a join on this machine ({@link TimelineRunner}), as {@link TimelinePlan}
 * decided it: both sides partitioned by time range, the ranges joined in order with the prevailing
 * right rows carried between them, the output written as it comes.
 */
final class TimelineJoin
{
    private final JoinPlan plan;
    private final MemoryBudget budget;
    private final ResourceSpec resources;
    private final JoinCounters counters;
    private final BufferAllocator allocator;
    private final SpillDir spill;
    private final Consumer<JoinJob.Phase> phase;
    private final TimelinePlan timeline;

    TimelineJoin(JoinPlan plan, TimelinePlan timeline, MemoryBudget budget, ResourceSpec resources, JoinCounters counters,
            BufferAllocator allocator, SpillDir spill, Consumer<JoinJob.Phase> phase)
    {
        this.timeline = requireNonNull(timeline, "timeline is null");
        this.plan = requireNonNull(plan, "plan is null");
        this.budget = requireNonNull(budget, "budget is null");
        this.resources = requireNonNull(resources, "resources is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.spill = requireNonNull(spill, "spill is null");
        this.phase = requireNonNull(phase, "phase is null");
    }

    /** Runs the join into {@code shared} (one file, rows in order) or into one sink per piece from {@code parts}; returns the output rows. */
    private long run(OrderedFile shared, SinkFactory parts)
    {
        long[] cuts = timeline.cuts();
        phase.accept(JoinJob.Phase.READ);
        List<Fragments> right = partition(Side.RIGHT, cuts);
        List<Fragments> left = partition(Side.LEFT, cuts);
        phase.accept(JoinJob.Phase.SORT);
        try (TimelineRunner runner = new TimelineRunner(plan, allocator, spill, budget.timelinePieceBytes(), budget.pieceRows(), counters)) {
            List<Piece> pieces = runner.pieces(left, right, budget.timelinePieceBytes(), budget.pieceRows());
            phase.accept(JoinJob.Phase.JOIN);
            long batchBytes = budget.batchBytes();
            long before = counters.rowsOut.sum();
            Workers.map(resources.workers(), pieces.size(), i -> {
                runner.join(i, pieces.get(i), shared, parts, batchBytes);
                return null;
            });
            return counters.rowsOut.sum() - before;
        }
    }

    /**
     * Runs the join into {@code out}: one file whose row groups pieces append in order, or one part
     * file per piece and a manifest; returns the output rows.
     */
    long into(AtomicOutput out, boolean singleFile)
    {
        long rowsOut;
        if (singleFile) {
            Schema schema = plan.output().schema();
            long groupBytes = budget.rowGroupBytes();
            int groupRows = resources.rowGroupRows();
            Path target = out.temporary();
            ParquetFileWriter file = concatenation(target, schema, groupBytes);
            try {
                rowsOut = run(new OrderedFile()
                {
                    @Override
                    public ParquetSink stage()
                    {
                        return ParquetSink.staged(target, schema, groupBytes, groupRows);
                    }

                    @Override
                    public void append(ParquetSink staged)
                    {
                        staged.writeStaged(file);
                        counters.rowsWritten.add(staged.rows());
                    }
                }, null);
                file.end(ParquetSink.metadata(schema));
            }
            catch (java.io.IOException e) {
                throw io.tidemark.protocol.TidemarkException.fatal("cannot finish " + target + ": " + e.getMessage());
            }
            finally {
                closeQuietly(file);
            }
        }
        else {
            List<Manifest.Entry> entries = Collections.synchronizedList(new ArrayList<>());
            JoinJob.createDirectory(out.temporary());
            rowsOut = run(null, id -> new PartFileSink(JoinJob.partPath(out, id), plan.output().schema(), budget.rowGroupBytes(),
                    resources.rowGroupRows(), e -> {
                        entries.add(e);
                        counters.rowsWritten.add(e.rows());
                    }));
            Manifest.write(out.temporary(), entries);
        }
        return rowsOut;
    }

    private List<Fragments> partition(Side side, long[] cuts)
    {
        return JoinJob.partition(plan, side, cuts.length + 1,
                t -> Partitioner.byTime(plan, side, cuts, budget.batchBytes(), allocator, spill, t), budget, counters);
    }

    private static ParquetFileWriter concatenation(Path target, Schema schema, long rowGroupBytes)
    {
        try {
            return ParquetSink.concatenation(target, schema, rowGroupBytes);
        }
        catch (java.io.IOException e) {
            throw io.tidemark.protocol.TidemarkException.fatal("cannot create " + target + ": " + e.getMessage());
        }
    }

    /** Closes a writer that failed before its end (ending it closes it already: a second close does nothing). */
    private static void closeQuietly(ParquetFileWriter file)
    {
        try {
            file.close();
        }
        catch (java.io.IOException | RuntimeException e) {
            // the temporary file is deleted with the failed output
        }
    }

}
