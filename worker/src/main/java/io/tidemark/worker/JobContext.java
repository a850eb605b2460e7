package io.tidemark.worker;

import io.tidemark.engine.MemoryBudget;
import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.Side;
import io.tidemark.engine.shard.JoinCounters;
import io.tidemark.engine.shard.TimelineRunner;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.ResourceSpec;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.cluster.JobOrder;
import org.apache.arrow.memory.BufferAllocator;

import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * What a worker keeps per job while it runs tasks of it: the opened inputs and plan, the worker's
 * own memory budget (its {@code --memory} and spill folder, the job's row-group settings), a
 * folder under the worker's spill root for the job's map outputs, and how many map tasks may read
 * row groups at once within the budget. Dropped (and its folder deleted) when the job is over.
 */
final class JobContext
        implements AutoCloseable
{
    final JobOrder order;
    final JoinPlan plan;
    final MemoryBudget budget;
    final SpillDir spill;
    final Semaphore readers;
    /** Tasks of this job running now; guarded by the {@link TaskRunner}. */
    int running;
    /** The job is over (or the worker stops): running tasks stop at their next row group or piece. */
    private volatile boolean dropped;
    /** A time-range job's carried rows and turns, shared by its shard tasks on this worker; made by the first. */
    private TimelineRunner timeline;

    JobContext(JobOrder order, long memoryBytes, int slots, Path spillRoot)
    {
        this.order = order;
        this.plan = new JoinPlan(order.spec(), InputTable.open(order.left()), InputTable.open(order.right()));
        ResourceSpec own = new ResourceSpec(memoryBytes, slots, order.buckets(), spillRoot.toString(),
                order.resources().rowGroupBytes(), order.resources().rowGroupRows());
        this.budget = new MemoryBudget(own, Runtime.getRuntime().maxMemory());
        int fit = Math.min(budget.readers(plan.table(Side.LEFT)), budget.readers(plan.table(Side.RIGHT)));
        this.readers = new Semaphore(Math.max(1, Math.min(slots, fit)));
        this.spill = new SpillDir(spillRoot, "job-" + order.id().value());
    }

    void drop()
    {
        dropped = true;
        synchronized (this) {
            if (timeline != null) {
                // shard tasks waiting for their turn stop too
                timeline.fail(new TidemarkException(FailureKind.TRANSIENT, order.id() + " is over on this worker"));
            }
        }
    }

    /** The carried rows and turns of a time-range job (one-sort plan), made on first use. */
    synchronized TimelineRunner timeline(BufferAllocator allocator)
    {
        if (timeline == null) {
            timeline = new TimelineRunner(plan, allocator, spill, budget.timelinePieceBytes(), budget.pieceRows(), new JoinCounters());
        }
        return timeline;
    }

    /** Ends a task of a job that is over, between row groups or pieces, before it writes more. */
    void checkLive()
    {
        if (dropped) {
            throw new TidemarkException(FailureKind.TRANSIENT, order.id() + " is over on this worker");
        }
    }

    @Override
    public void close()
    {
        synchronized (this) {
            if (timeline != null) {
                timeline.close();
                timeline = null;
            }
        }
        spill.close();
    }
}
