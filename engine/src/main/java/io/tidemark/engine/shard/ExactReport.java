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
        out.append(on).append('=').append(value(data.vector(plan.onColumn(side) + JoinPlan.PAYLOAD).getObject(row)));
        int[] by = plan.spillByColumns(side);
        List<String> names = side == Side.LEFT ? plan.spec().leftBy() : plan.spec().rightBy();
        for (int i = 0; i < by.length; i++) {
            out.append(", ").append(names.get(i)).append('=').append(value(data.vector(by[i]).getObject(row)));
        }
        return out.toString();
    }

    private static String value(Object v)
    {
        if (v instanceof java.time.LocalDateTime) {
            return v.toString().replace('T', ' ');
        }
        return v instanceof org.apache.arrow.vector.util.Text ? "'" + v + "'" : String.valueOf(v);
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
        List<String> problems = new ArrayList<>();
        if (validate.leftUnique() && leftDuplicateKeys > 0) {
            problems.add(leftName + " has " + leftDuplicateKeys + " duplicated key(s), " + top(false, leftName));
        }
        if (validate.rightUnique() && rightDuplicateKeys > 0) {
            problems.add(rightName + " has " + rightDuplicateKeys + " duplicated key(s), " + top(true, rightName));
        }
        if (!problems.isEmpty()) {
            throw TidemarkException.fatal("--validate " + validate.name().toLowerCase(java.util.Locale.ROOT) + " failed: "
                    + String.join("; ", problems) + "; estimated output " + outputRows + " rows; nothing written");
        }
        if (outputRows > maxOutputRows) {
            String tops = rightDuplicateKeys > 0 ? top(true, rightName) : top(false, leftName);
            throw TidemarkException.fatal("the exact join would write " + outputRows + " rows, more than --max-output-rows "
                    + maxOutputRows + ": duplicated keys explode it, " + tops + "; nothing written");
        }
    }

    private String top(boolean right, String table)
    {
        StringBuilder out = new StringBuilder("most duplicated: ");
        int n = 0;
        for (Found f : found) {
            if (f.right() == right && n < 3) {
                out.append(n++ == 0 ? "" : "; ").append(f.key()).append(" (").append(f.rows()).append(" rows in ").append(table).append(')');
            }
        }
        return out.toString();
    }

}
