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
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same join of the same inputs gives the same files, byte for byte, however the threads shared
 * the input: three threads read twelve files in whatever order they get them, buckets are cut into
 * time pieces and the single file into ranges, both from key samples, which must not depend on it.
 */
class RepeatableOutputTest
{
    @TempDir
    Path temp;

    @Test
    void sameInputsSameFiles()
            throws IOException
    {
        Random random = new Random(42);
        List<Row> left = RandomTables.rows(random, 30_000, 3, 5_000, false);
        List<Row> right = RandomTables.rows(random, 10_000, 3, 5_000, true);
        Files.createDirectories(temp.resolve("l"));
        Files.createDirectories(temp.resolve("r"));
        RandomTables.write(temp.resolve("l"), "left", left, 12, false);
        RandomTables.write(temp.resolve("r"), "right", right, 12, true);
        JoinSpec spec = new JoinSpec("ts", "ts", List.of("k"), List.of("k"), Direction.NEAREST, null, true, How.LEFT, "_x", "_y",
                false, Validate.MANY_TO_MANY, 1L << 40, NullKeys.MATCH);

        for (String name : List.of("out.parquet", "out")) {
            byte[][] first = null;
            for (int run = 0; run < 3; run++) {
                Path out = temp.resolve("run-" + run).resolve(name);
                ResourceSpec resources = new ResourceSpec(128L << 20, 3, 2, temp.resolve("spill").toString(), 1 << 16, 4_000);
                MemoryBudget budget = new MemoryBudget(resources, 0).withPieceRows(3_000, resources);
                new JoinJob(spec, temp.resolve("l").toString(), temp.resolve("r").toString(), out, resources, budget).run();
                byte[][] files = contents(out);
                if (first == null) {
                    first = files;
                    assertThat(files.length).as(name + " files").isGreaterThan(name.endsWith(".parquet") ? 0 : 4);
                }
                else {
                    assertThat(files).as(name + ", run " + run + " against run 0").isDeepEqualTo(first);
                }
            }
        }
    }

    /** The output file, or the manifest and every part file of a directory in name order. */
    private static byte[][] contents(Path out)
            throws IOException
    {
        if (!Files.isDirectory(out)) {
            return new byte[][] {Files.readAllBytes(out)};
        }
        try (Stream<Path> files = Files.list(out)) {
            List<Path> sorted = files.sorted().toList();
            byte[][] all = new byte[sorted.size()][];
            for (int i = 0; i < all.length; i++) {
                all[i] = Files.readAllBytes(sorted.get(i));
            }
            return all;
        }
    }
}
