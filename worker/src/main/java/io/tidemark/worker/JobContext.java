package io.tidemark.worker;

import io.tidemark.engine.MemoryBudget;
import io.tidemark.engine.io.InputFile;
import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.protocol.ResourceSpec;
import io.tidemark.protocol.cluster.JobOrder;
import org.apache.parquet.hadoop.metadata.BlockMetaData;

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

    JobContext(JobOrder order, long memoryBytes, int slots, Path spillRoot)
    {
        this.order = order;
        this.plan = new JoinPlan(order.spec(), InputTable.open(order.left()), InputTable.open(order.right()));
        ResourceSpec own = new ResourceSpec(memoryBytes, slots, order.buckets(), spillRoot.toString(),
                order.resources().rowGroupBytes(), order.resources().rowGroupRows());
        this.budget = new MemoryBudget(own, Runtime.getRuntime().maxMemory());
        this.spill = new SpillDir(spillRoot, "job-" + order.id().value());
        long largest = 0;
        String where = order.left();
        int columns = 1;
        for (InputTable table : new InputTable[] {plan.table(io.tidemark.engine.plan.Side.LEFT), plan.table(io.tidemark.engine.plan.Side.RIGHT)}) {
            columns = Math.max(columns, table.schema().getFields().size());
            for (InputFile file : table.files()) {
                for (BlockMetaData block : file.footer().getBlocks()) {
                    if (block.getCompressedSize() > largest) {
                        largest = block.getCompressedSize();
                        where = file.path().toString();
                    }
                }
            }
        }
        this.readers = new Semaphore(Math.max(1, Math.min(slots, budget.readers(largest, columns, where))));
    }

    @Override
    public void close()
    {
        spill.close();
    }
}
