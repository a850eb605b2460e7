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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-sort plan (time ranges, prevailing rows carried between them): with many keys, many
 * ranges and pieces, so the carried rows are looked up, replaced and compacted many times, the
 * output is pandas' rows in pandas' order; when the carried rows would not fit, the job hashes by
 * key instead, with the same rows and nothing left in the spill folder.
 */
class TimelineJoinTest
{
    @TempDir
    Path temp;

    @Test
    void manyKeysAcrossManyRangesGiveTheReferenceRowsInOrder()
            throws IOException
    {
        Random random = new Random(7);
        List<Row> left = rows(random, 3_000, 1_000, false);
        List<Row> right = rows(random, 8_000, 1_000, true);
        for (int workers = 1; workers <= 3; workers += 2) {
            JoinJob job = run(left, right, workers, -1, "many-" + workers);
            assertTrue(job.timeline(), "took the one-sort plan");
        }
    }

    @Test
    void carriedRowsTooLargeFallBackToHashShards()
            throws IOException
    {
        Random random = new Random(11);
        JoinJob job = run(rows(random, 2_000, 500, false), rows(random, 2_000, 500, true), 2, 1, "fallback");
        assertFalse(job.timeline(), "hashed by key");
    }

    @Test
    void rangesFitAPieceSoNoneIsCutAgain()
            throws IOException
    {
        // pieces limited by bytes, not rows: ranges sized from too few bytes per row come out larger
        // than a piece and are cut again (the rows are checked by the other tests)
        Random random = new Random(5);
        JoinJob job = job(rows(random, 300_000, 5_000, false), rows(random, 75_000, 5_000, true), 2, -1, 0, "sized");
        JobSummary summary = job.run();
        assertTrue(job.timeline(), "took the one-sort plan");
        assertTrue(job.timelineRanges() > 4, job.timelineRanges() + " ranges: more than the least, two per worker");
        assertEquals(job.timelineRanges(), summary.shards(), "one piece per time range");
    }

    private JoinJob run(List<Row> left, List<Row> right, int workers, long carryBytes, String name)
            throws IOException
    {
        JoinJob job = job(left, right, workers, carryBytes, 150, name);
        JobSummary summary = job.run();
        Path dir = temp.resolve(name);
        Path out = dir.resolve("out.parquet");
        List<long[]> expected = ReferenceJoin.asof(left, right, 1, Direction.BACKWARD, true, null, How.LEFT, NullKeys.MATCH);
        List<String> actual = new ArrayList<>();
        ParquetRows rows = ParquetRows.read(out.toString());
        for (List<Object> row : rows.rows()) {
            Object r = row.get(rows.column("rid"));
            actual.add(row.get(rows.column("lid")) + "->" + (r == null ? -1 : r));
        }
        List<String> wanted = new ArrayList<>();
        expected.forEach(p -> wanted.add(p[0] + "->" + p[1]));
        assertEquals(String.join("\n", wanted), String.join("\n", actual), name);
        assertEquals(expected.size(), summary.rowsOut(), name);
        try (Stream<Path> files = Files.list(dir.resolve("spill"))) {
            assertEquals(List.of(), files.toList(), "spill folder empty after " + name);
        }
        return job;
    }

    /** A join of the rows into dir/out.parquet, ready to run; pieces bounded by {@code pieceRows} rows when positive. */
    private JoinJob job(List<Row> left, List<Row> right, int workers, long carryBytes, long pieceRows, String name)
            throws IOException
    {
        Path dir = temp.resolve(name);
        Files.createDirectories(dir.resolve("l"));
        Files.createDirectories(dir.resolve("r"));
        int groupRows = pieceRows > 0 ? 37 : 10_000;
        RandomTables.write(dir.resolve("l"), "left", left, 2, false, groupRows);
        RandomTables.write(dir.resolve("r"), "right", right, 3, true, groupRows);
        JoinSpec spec = new JoinSpec("ts", "ts", List.of("k"), List.of("k"), Direction.BACKWARD, null, true, How.LEFT, "_x", "_y",
                false, Validate.MANY_TO_MANY, 1L << 40, NullKeys.MATCH);
        ResourceSpec resources = new ResourceSpec(128L << 20, workers, 0, dir.resolve("spill").toString(), 1 << 16, 700);
        MemoryBudget budget = new MemoryBudget(resources, 0);
        if (pieceRows > 0) {
            budget = budget.withPieceRows(pieceRows, resources);
        }
        if (carryBytes >= 0) {
            budget = budget.withCarryBytes(carryBytes, resources);
        }
        return new JoinJob(spec, dir.resolve("l").toString(), dir.resolve("r").toString(), dir.resolve("out.parquet"), resources, budget);
    }

    /** Rows with up to {@code keys} distinct keys, some NULL keys and NULL times, unsorted. */
    private static List<Row> rows(Random random, int n, int keys, boolean right)
    {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Long ts = random.nextInt(50) == 0 ? null : (long) random.nextInt(20_000) * 1_000;
            String k = random.nextInt(40) == 0 ? null : "key-" + random.nextInt(keys);
            rows.add(new Row(ts, k, 0, (right ? 1_000_000 : 0) + i, i));
        }
        return rows;
    }
}
