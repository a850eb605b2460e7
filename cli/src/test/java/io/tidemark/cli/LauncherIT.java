package io.tidemark.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code bin/tidemark} as a user does, after {@code mvn package} built the jar: the demo, a
 * join to one file and to a dataset directory, and bad input. Checks exit codes, the summary line,
 * the one-line errors, that nothing partial is left behind, and that peak RSS stayed in budget.
 */
class LauncherIT
{
    private static final Path LAUNCHER = Paths.get("..", "bin", "tidemark").toAbsolutePath().normalize();

    @TempDir
    Path temp;

    @Test
    void demoJoinsSampleDataWithinItsBudget()
            throws Exception
    {
        Result r = run("demo", "--rows", "200000", "--dir", temp.resolve("demo").toString(), "--memory", "384m");
        assertEquals(0, r.exit, r.stderr);
        assertTrue(Files.size(temp.resolve("demo/joined.parquet")) > 0);
        assertTrue(r.stdout.contains("crawl_state"), r.stdout);
        assertSummary(r.stderr, 200_000, 384L << 20);
    }

    @Test
    void joinWritesOneFileAndADatasetThatAgree()
            throws Exception
    {
        Path data = temp.resolve("data");
        assertEquals(0, run("demo", "--rows", "100000", "--dir", data.toString(), "--quiet").exit);
        Path single = temp.resolve("out.parquet");
        Result one = run("join", data.resolve("logs.parquet").toString(), data.resolve("crawls.parquet").toString(),
                "-o", single.toString(), "--on", "ts", "--by", "url", "--memory", "256m", "--direction", "nearest", "--tolerance", "10m");
        assertEquals(0, one.exit, one.stderr);
        assertSummary(one.stderr, 100_000, 256L << 20);
        Path dataset = temp.resolve("out-dir");
        Result dir = run("join", data.resolve("logs.parquet").toString(), data.toString() + "/crawl*.parquet",
                "-o", dataset.toString(), "--on", "ts", "--by", "url", "--memory", "256m", "--direction", "nearest", "--tolerance", "10m",
                "--shards", "5");
        assertEquals(0, dir.exit, dir.stderr);
        String manifest = Files.readString(dataset.resolve("_SUCCESS"));
        assertTrue(manifest.contains("\"rows\": 100000"), manifest);
        assertTrue(manifest.contains("sha256"), manifest);
        try (Stream<Path> parts = Files.list(dataset)) {
            assertEquals(5, parts.filter(p -> p.toString().endsWith(".parquet")).count());
        }
        assertNoTemporaries(temp);
    }

    @Test
    void aMergeOfManyRunsFitsASmallHeap()
            throws Exception
    {
        // 800 shards: the single-file merge reads about 800 runs per range at once; with a 64 KiB heap
        // buffer per run this ran out of a 256m budget's heap
        Path data = temp.resolve("data");
        assertEquals(0, run("demo", "--rows", "300000", "--dir", data.toString(), "--quiet").exit);
        Result r = run("join", data.resolve("logs.parquet").toString(), data.resolve("crawls.parquet").toString(),
                "-o", temp.resolve("many.parquet").toString(), "--on", "ts", "--by", "url", "--memory", "256m", "--shards", "800");
        assertEquals(0, r.exit, r.stderr);
        assertSummary(r.stderr, 300_000, 256L << 20);
        assertTrue(r.stderr.contains("800 shards"), r.stderr);
    }

    @Test
    void badInputFailsOnOneLineNamingFileAndColumnAndWritesNothing()
            throws Exception
    {
        Path data = temp.resolve("data");
        assertEquals(0, run("demo", "--rows", "20000", "--dir", data.toString(), "--quiet").exit);
        Path out = temp.resolve("never.parquet");
        Result missing = run("join", data.resolve("logs.parquet").toString(), data.resolve("crawls.parquet").toString(),
                "-o", out.toString(), "--on", "ts", "--by", "uri");
        assertEquals(1, missing.exit);
        assertOneLine(missing.stderr, "logs.parquet", "uri");

        Result type = run("join", data.resolve("logs.parquet").toString(), data.resolve("crawls.parquet").toString(),
                "-o", out.toString(), "--on", "url");
        assertEquals(1, type.exit);
        assertOneLine(type.stderr, "logs.parquet", "url");

        Path junk = temp.resolve("junk.parquet");
        Files.writeString(junk, "not parquet");
        Result corrupt = run("join", junk.toString(), data.resolve("crawls.parquet").toString(), "-o", out.toString(), "--on", "ts");
        assertEquals(1, corrupt.exit);
        assertOneLine(corrupt.stderr, "junk.parquet", "Parquet");

        Result negative = run("join", data.resolve("logs.parquet").toString(), data.resolve("crawls.parquet").toString(),
                "-o", out.toString(), "--on", "ts", "--tolerance", "-1s");
        assertEquals(1, negative.exit);
        assertOneLine(negative.stderr, "--tolerance", "positive");

        Result usage = run("join", data.resolve("logs.parquet").toString(), "-o", out.toString(), "--on", "ts");
        assertEquals(2, usage.exit);
        assertFalse(Files.exists(out));
        assertNoTemporaries(temp);
    }

    private static void assertOneLine(String stderr, String... parts)
    {
        List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), stderr);
        for (String part : parts) {
            assertTrue(lines.get(0).contains(part), () -> lines.get(0) + " should name " + part);
        }
        assertTrue(lines.get(0).startsWith("tidemark: error: "), lines.get(0));
    }

    private static void assertSummary(String stderr, long leftRows, long budget)
    {
        Matcher m = Pattern.compile("done: ([0-9,]+) left .* rows out \\(([0-9.]+)% matched\\), (\\d+) shards, spilled .*, "
                + "peak RSS ([0-9.]+) (MiB|GiB) of").matcher(stderr);
        assertTrue(m.find(), stderr);
        assertEquals(leftRows, Long.parseLong(m.group(1).replace(",", "")));
        double rss = Double.parseDouble(m.group(4)) * (m.group(5).equals("GiB") ? 1024 : 1) * (1 << 20);
        assertTrue(rss <= budget, "peak RSS " + rss + " over budget " + budget);
    }

    private static void assertNoTemporaries(Path dir)
            throws IOException
    {
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> leftovers = all.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
            assertTrue(leftovers.isEmpty(), leftovers.toString());
        }
    }

    private record Result(int exit, String stdout, String stderr) {}

    private Result run(String... args)
            throws Exception
    {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile());
        builder.environment().put("TMPDIR", temp.toString());
        Path out = temp.resolve("stdout.txt");
        Path err = temp.resolve("stderr.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = builder.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + command);
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
