package io.tidemark.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.protocol.Direction;
import io.tidemark.protocol.How;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.NullKeys;
import io.tidemark.protocol.ResourceSpec;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.Validate;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every case made by pandas (src/test/resources/golden/make_golden.py) must come out equal: same
 * column names, types and order, same rows in the same order. Each case runs in five shapes: one
 * shard in memory, several shards and threads, pieces of two rows (time pieces and carried rows
 * everywhere), and a derived shard count (backward cases then take the one-sort plan) with and
 * without pieces of two rows - the result must not change.
 */
class GoldenConformanceTest
{
    private static final Path CASES = Paths.get("src/test/resources/golden/cases");
    /** pandas refuses a NULL on key; Tidemark emits the left row unmatched and drops the right row (C6). */
    private static final List<String> DIFFERENT_BY_DESIGN = List.of("error_null_on_key_left", "error_null_on_key_right");

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> casesMatchPandas()
            throws IOException
    {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(CASES)) {
            for (Path dir : dirs.sorted().toList()) {
                String name = dir.getFileName().toString();
                if (DIFFERENT_BY_DESIGN.contains(name)) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(name, () -> runCase(dir)));
            }
        }
        assertTrue(tests.size() > 50, "golden cases found: " + tests.size());
        return tests.stream();
    }

    private void runCase(Path dir)
            throws IOException
    {
        JsonNode json = new ObjectMapper().readTree(dir.resolve("case.json").toFile());
        if (json.hasNonNull("error")) {
            String expected = json.get("error").asText();
            Path out = temp.resolve(dir.getFileName() + "-err.parquet");
            TidemarkException e = assertThrows(TidemarkException.class, () -> run(json, dir, out, 1, 1, 0));
            assertTrue(e.getMessage().toLowerCase().contains(keyword(expected)), () -> "message: " + e.getMessage() + " / pandas: " + expected);
            assertFalse(Files.exists(out), "no output after an error");
            return;
        }
        ParquetRows expected = ParquetRows.read(dir.resolve("expected.parquet").toString());
        // shards 0: derived, so backward cases take the one-sort plan (time ranges), with pieces of two rows in the last shape
        int[][] shapes = {{1, 1, 0}, {3, 2, 0}, {2, 2, 2}, {0, 2, 0}, {0, 2, 2}};
        for (int[] shape : shapes) {
            Path out = temp.resolve(dir.getFileName() + "-" + shape[0] + "-" + shape[1] + "-" + shape[2] + ".parquet");
            run(json, dir, out, shape[0], shape[1], shape[2]);
            ParquetRows actual = ParquetRows.read(out.toString());
            assertEquals(expected.schema(), actual.schema(), "schema, shape " + List.of(shape[0], shape[1], shape[2]));
            assertEquals(expected.rows().size(), actual.rows().size(), "row count");
            for (int r = 0; r < expected.rows().size(); r++) {
                int row = r;
                assertEquals(expected.rows().get(r), actual.rows().get(r),
                        () -> "row " + row + " (shards, workers, piece rows = " + List.of(shape[0], shape[1], shape[2]) + ")");
            }
        }
    }

    /** pandas' wording differs from ours; the test checks the substance word. */
    private static String keyword(String pandasSubstring)
    {
        String s = pandasSubstring.toLowerCase();
        if (s.contains("one-to-one") || s.contains("one_to_one")) {
            return "one_to_one";
        }
        if (s.contains("many-to-one") || s.contains("many_to_one")) {
            return "many_to_one";
        }
        if (s.contains("positive")) {
            return "must be positive";
        }
        return s;
    }

    static void run(JsonNode c, Path dir, Path out, int shards, int workers, int pieceRows)
    {
        String on = text(c, "on");
        List<String> by = list(c, "by");
        JoinSpec spec = new JoinSpec(
                on != null ? on : text(c, "left_on"),
                on != null ? on : text(c, "right_on"),
                by.isEmpty() ? list(c, "left_by") : by,
                by.isEmpty() ? list(c, "right_by") : by,
                text(c, "direction") == null ? Direction.BACKWARD : Direction.parse(text(c, "direction")),
                c.hasNonNull("tolerance") ? c.get("tolerance").asText() : null,
                !c.hasNonNull("allow_exact_matches") || c.get("allow_exact_matches").asBoolean(),
                How.parse(text(c, "how") == null ? "left" : text(c, "how")),
                c.get("suffixes").get(0).asText(),
                c.get("suffixes").get(1).asText(),
                "exact".equals(text(c, "kind")),
                text(c, "validate") == null ? Validate.MANY_TO_MANY : Validate.parse(text(c, "validate")),
                0,
                NullKeys.MATCH);
        ResourceSpec resources = new ResourceSpec(256L << 20, workers, shards, Paths.get("target", "spill").toAbsolutePath().toString(),
                1 << 20, 1000);
        MemoryBudget budget = new MemoryBudget(resources, 0);
        if (pieceRows > 0) {
            budget = budget.withPieceRows(pieceRows, resources);
        }
        new JoinJob(spec, dir.resolve("left.parquet").toString(), dir.resolve("right.parquet").toString(), out, resources, budget).run();
    }

    private static String text(JsonNode c, String key)
    {
        return c.hasNonNull(key) ? c.get(key).asText() : null;
    }

    private static List<String> list(JsonNode c, String key)
    {
        List<String> out = new ArrayList<>();
        if (c.hasNonNull(key)) {
            c.get(key).forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
