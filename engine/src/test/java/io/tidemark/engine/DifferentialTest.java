package io.tidemark.engine;

import io.tidemark.engine.RandomTables.Row;
import io.tidemark.protocol.Direction;
import io.tidemark.protocol.How;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.NullKeys;
import io.tidemark.protocol.ResourceSpec;
import io.tidemark.protocol.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Randomized differential test: random inputs (ties, NULL keys, NULL times, several files and row
 * groups, unsorted) joined by the engine with random options, shard counts 1..6 or derived (the
 * one-sort plan for backward joins), 1..3 threads and
 * forced time pieces (spilled, with carried rows), against the brute-force {@link ReferenceJoin}.
 */
class DifferentialTest
{
    @TempDir
    Path temp;

    @Test
    void engineEqualsReferenceAcrossShardsThreadsAndSpilling()
    {
        Random random = new Random(20261122);
        int runs = 0;
        for (int iteration = 0; iteration < 60; iteration++) {
            Path dir = temp.resolve("case-" + iteration);
            int byColumns = random.nextInt(3);
            int keys = 1 + random.nextInt(6);
            int span = 5 + random.nextInt(200);
            List<Row> left = RandomTables.rows(random, random.nextInt(400), keys, span, false);
            List<Row> right = RandomTables.rows(random, random.nextInt(400), keys, span, true);
            createDirectories(dir.resolve("l"));
            createDirectories(dir.resolve("r"));
            RandomTables.write(dir.resolve("l"), "left", left, 1 + random.nextInt(3), false);
            RandomTables.write(dir.resolve("r"), "right", right, 1 + random.nextInt(3), true);

            boolean exact = random.nextInt(5) == 0;
            Direction direction = Direction.values()[random.nextInt(3)];
            boolean allowExact = random.nextInt(3) != 0;
            Long tolerance = random.nextBoolean() ? null : (long) random.nextInt(span / 2 + 1) * 1_000;
            How how = random.nextInt(4) == 0 ? How.INNER : How.LEFT;
            NullKeys nullKeys = random.nextInt(3) == 0 ? NullKeys.NEVER : NullKeys.MATCH;
            List<String> by = byColumns == 0 ? List.of() : byColumns == 1 ? List.of("k") : List.of("k", "k2");
            JoinSpec spec = new JoinSpec("ts", "ts", by, by, direction, exact || tolerance == null ? null : (tolerance / 1000) + "ms",
                    allowExact, how, "_x", "_y", exact, Validate.MANY_TO_MANY, 1L << 40, nullKeys);
            List<long[]> expected = exact
                    ? ReferenceJoin.exact(left, right, byColumns, how, nullKeys)
                    : ReferenceJoin.asof(left, right, byColumns, direction, allowExact, tolerance, how, nullKeys);

            int shards = random.nextInt(7);   // 0: derived, and a backward join then takes the one-sort plan (time ranges)
            int workers = 1 + random.nextInt(3);
            int pieceRows = random.nextBoolean() ? 0 : 2 + random.nextInt(40);
            boolean single = random.nextBoolean();
            Path out = dir.resolve(single ? "out.parquet" : "out");
            ResourceSpec resources = new ResourceSpec(128L << 20, workers, shards, temp.resolve("spill").toString(), 1 << 16, 50);
            MemoryBudget budget = new MemoryBudget(resources, 0);
            if (pieceRows > 0) {
                budget = budget.withPieceRows(pieceRows, resources);
            }
            String what = spec + " shards=" + shards + " workers=" + workers + " pieceRows=" + pieceRows + " single=" + single;
            JobSummary summary = new JoinJob(spec, dir.resolve("l").toString(), dir.resolve("r").toString(), out, resources, budget).run();
            ParquetRows written = ParquetRows.read(out.toString());
            List<long[]> actual = pairs(written);
            assertStrings(written, left, right, by.isEmpty(), what);
            if (!single) {
                sort(expected);
                sort(actual);
                assertTrue(Files.exists(out.resolve("_SUCCESS")), "manifest");
            }
            assertEquals(expected.size(), summary.rowsOut(), what);
            assertEquals(render(expected), render(actual), what);
            runs++;
        }
        assertEquals(60, runs);
    }

    /**
     * Each output row holds its own rows' strings (copied from another row with the same string
     * when a piece numbers the column): the left row's k, and without a by key the matched right
     * row's k (null when none).
     */
    private static void assertStrings(ParquetRows rows, List<Row> left, List<Row> right, boolean bothSides, String what)
    {
        int lid = rows.column("lid");
        int rid = rows.column("rid");
        int lk = rows.column(bothSides ? "k_x" : "k");
        int rk = bothSides ? rows.column("k_y") : -1;
        for (List<Object> row : rows.rows()) {
            assertEquals(left.get((int) (long) (Long) row.get(lid)).k(), row.get(lk), what);
            Object r = row.get(rid);
            if (rk >= 0) {
                assertEquals(r == null ? null : right.get((int) ((Long) r - 1_000_000)).k(), row.get(rk), what);
            }
        }
    }

    private static List<long[]> pairs(ParquetRows rows)
    {
        int lid = rows.column("lid");
        int rid = rows.column("rid");
        List<long[]> out = new ArrayList<>();
        for (List<Object> row : rows.rows()) {
            Object r = row.get(rid);
            out.add(new long[] {(Long) row.get(lid), r == null ? -1 : (Long) r});
        }
        return out;
    }

    private static void sort(List<long[]> pairs)
    {
        pairs.sort(Comparator.<long[]>comparingLong(p -> p[0]).thenComparingLong(p -> p[1]));
    }

    private static String render(List<long[]> pairs)
    {
        StringBuilder s = new StringBuilder();
        for (long[] p : pairs) {
            s.append(p[0]).append("->").append(p[1]).append('\n');
        }
        return s.toString();
    }

    private static void createDirectories(Path p)
    {
        try {
            Files.createDirectories(p);
        }
        catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
