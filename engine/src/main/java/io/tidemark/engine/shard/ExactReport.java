package io.tidemark.engine.shard;

import io.tidemark.engine.kernel.ExactKernel;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.Side;
import io.tidemark.protocol.How;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.Validate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the exact-join check found across all shards: the output row count and the most duplicated
 * keys of each side, described by value. {@link #verify} turns a violation into the user's error.
 */
public final class ExactReport
{
    private record Found(boolean right, int rows, String key) {}

    private final List<Found> found = new ArrayList<>();
    private long outputRows;
    private long leftDuplicateKeys;
    private long rightDuplicateKeys;

    synchronized void add(JoinPlan plan, ShardData left, ShardData right, PreparedShard p, ExactKernel kernel)
    {
        outputRows += kernel.matchedRows() + (plan.spec().how() == How.LEFT ? kernel.unmatchedLeftRows() + p.leftNullOn.length : 0);
        leftDuplicateKeys += kernel.leftDuplicateKeys();
        rightDuplicateKeys += kernel.rightDuplicateKeys();
        for (ExactKernel.Duplicate d : kernel.leftDuplicates()) {
            found.add(new Found(false, d.rows(), describe(plan, Side.LEFT, left, d.row())));
        }
        for (ExactKernel.Duplicate d : kernel.rightDuplicates()) {
            found.add(new Found(true, d.rows(), describe(plan, Side.RIGHT, right, d.row())));
        }
        found.sort(Comparator.comparingInt(Found::rows).reversed());
        if (found.size() > 10) {
            found.subList(10, found.size()).clear();
        }
    }

    private static String describe(JoinPlan plan, Side side, ShardData data, int row)
    {
        StringBuilder out = new StringBuilder();
        String on = side == Side.LEFT ? plan.spec().leftOn() : plan.spec().rightOn();
        out.append(on).append('=').append(data.vector(plan.onColumn(side) + JoinPlan.PAYLOAD).getObject(row));
        int[] by = plan.spillByColumns(side);
        List<String> names = side == Side.LEFT ? plan.spec().leftBy() : plan.spec().rightBy();
        for (int i = 0; i < by.length; i++) {
            out.append(", ").append(names.get(i)).append('=').append(data.vector(by[i]).getObject(row));
        }
        return out.toString();
    }

    public synchronized long outputRows()
    {
        return outputRows;
    }

    /** Fails with the estimated output and the top duplicated keys when a limit is broken. */
    public synchronized void verify(JoinPlan plan, long maxOutputRows)
    {
        Validate validate = plan.spec().validate();
        String leftName = plan.table(Side.LEFT).name();
        String rightName = plan.table(Side.RIGHT).name();
        if (validate.leftUnique() && leftDuplicateKeys > 0) {
            throw TidemarkException.fatal("--validate " + name(validate) + " failed: " + leftName + " has " + leftDuplicateKeys
                    + " duplicated keys; " + top(false, leftName) + "; estimated output " + outputRows + " rows; nothing written");
        }
        if (validate.rightUnique() && rightDuplicateKeys > 0) {
            throw TidemarkException.fatal("--validate " + name(validate) + " failed: " + rightName + " has " + rightDuplicateKeys
                    + " duplicated keys; " + top(true, rightName) + "; estimated output " + outputRows + " rows; nothing written");
        }
        if (outputRows > maxOutputRows) {
            String tops = rightDuplicateKeys > 0 ? top(true, rightName) : top(false, leftName);
            throw TidemarkException.fatal("the exact join would write " + outputRows + " rows, more than --max-output-rows "
                    + maxOutputRows + " (duplicated keys explode it: " + tops + "); nothing written");
        }
    }

    private String top(boolean right, String table)
    {
        StringBuilder out = new StringBuilder("top: ");
        int n = 0;
        for (Found f : found) {
            if (f.right() == right && n < 3) {
                out.append(n++ == 0 ? "" : "; ").append(f.key()).append(" (").append(f.rows()).append(" rows in ").append(table).append(')');
            }
        }
        return out.toString();
    }

    private static String name(Validate validate)
    {
        return validate.name().toLowerCase(java.util.Locale.ROOT);
    }
}
