package io.tidemark.engine.io;

import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;

import java.util.ArrayList;
import java.util.List;

/**
 * Which row groups an on-key sample reads. Every one, unless the footers' statistics show that
 * each row group spans nearly the table's whole on-key range (rows in no time order, as shuffled
 * or hashed output writes them): then any row group is a sample of the whole and every {@code
 * step}-th is read, at least a quarter of them and {@link #ROWS_PER_KEY} rows per wanted key. Time-
 * ordered (or clustered) inputs, on columns without integer statistics, and small tables are read
 * in full. Depends on the footers alone, so a plan is repeatable.
 */
final class SampledRowGroups
{
    /** Rows read per key wanted, at the least, when row groups are skipped. */
    static final long ROWS_PER_KEY = 256;
    /** A row group "spans" the table when its on-key range is at least this share of the table's. */
    private static final double SPAN = 0.9;
    private static final int MIN_GROUPS = 8;

    private SampledRowGroups() {}

    /** Per file, per row group: whether to read it for about {@code wanted} keys of column {@code onColumn}. */
    static boolean[][] of(List<InputFile> files, int onColumn, int wanted)
    {
        List<BlockMetaData> groups = new ArrayList<>();
        files.forEach(f -> groups.addAll(f.footer().getBlocks()));
        int step = step(groups, onColumn, wanted);
        boolean[][] read = new boolean[files.size()][];
        int g = 0;
        for (int f = 0; f < files.size(); f++) {
            read[f] = new boolean[files.get(f).footer().getBlocks().size()];
            for (int i = 0; i < read[f].length; i++, g++) {
                read[f][i] = g % step == 0;
            }
        }
        return read;
    }

    /** 1 (every row group), or the step between the row groups read when each spans the whole key range. */
    static int step(List<BlockMetaData> groups, int onColumn, int wanted)
    {
        if (groups.size() < MIN_GROUPS) {
            return 1;
        }
        long[] min = new long[groups.size()];
        long[] max = new long[groups.size()];
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        long rows = 0;
        for (int g = 0; g < groups.size(); g++) {
            BlockMetaData group = groups.get(g);
            if (onColumn >= group.getColumns().size()) {
                return 1;
            }
            Statistics<?> stats = group.getColumns().get(onColumn).getStatistics();
            if (stats == null || !stats.hasNonNullValue() || !(stats.genericGetMin() instanceof Number)
                    || stats.genericGetMin() instanceof Float || stats.genericGetMin() instanceof Double) {
                return 1;
            }
            min[g] = ((Number) stats.genericGetMin()).longValue();
            max[g] = ((Number) stats.genericGetMax()).longValue();
            lo = Math.min(lo, min[g]);
            hi = Math.max(hi, max[g]);
            rows += group.getRowCount();
        }
        double range = (double) hi - (double) lo;
        for (int g = 0; g < groups.size(); g++) {
            if ((double) max[g] - (double) min[g] < SPAN * range) {
                return 1;
            }
        }
        long perGroup = Math.max(1, rows / groups.size());
        long groupsNeeded = Math.max((groups.size() + 3) / 4, (wanted * ROWS_PER_KEY + perGroup - 1) / perGroup);
        return (int) Math.max(1, groups.size() / Math.max(1, groupsNeeded));
    }
}
