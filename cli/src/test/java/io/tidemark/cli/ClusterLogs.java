package io.tidemark.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the cluster's role processes log, read back: the coordinator's job and commit lines, and the
 * tails of the logs for a failure message.
 */
final class ClusterLogs
{
    /** The coordinator's answer to a shard attempt's commit request. */
    static final Pattern COMMIT = Pattern.compile("commit request: shard (\\d+) attempt (\\d+) of (job-\\S+) -> (\\w+)");
    /** The coordinator accepted a job. */
    static final Pattern QUEUED = Pattern.compile("job (job-\\S+) queued: \\d+ map tasks, (\\d+) shards");

    private ClusterLogs() {}

    /**
     * Asserts the job is DONE and each of its shards got exactly one COMMIT in the coordinator's log
     * text {@code log}; returns, per shard, the attempts that were told COMMIT.
     */
    static Map<Integer, List<Integer>> assertCommittedOnce(String log, String job)
    {
        assertTrue(log.contains("job " + job + " DONE"), "job " + job + " not DONE at the coordinator");
        Matcher q = QUEUED.matcher(log);
        int shards = -1;
        while (q.find()) {
            if (q.group(1).equals(job)) {
                shards = Integer.parseInt(q.group(2));
            }
        }
        Map<Integer, List<Integer>> commits = new HashMap<>();
        Matcher m = COMMIT.matcher(log);
        while (m.find()) {
            if (m.group(3).equals(job) && m.group(4).equals("COMMIT")) {
                commits.computeIfAbsent(Integer.parseInt(m.group(1)), b -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
            }
        }
        for (int b = 0; b < shards; b++) {
            List<Integer> attempts = commits.getOrDefault(b, List.of());
            assertEquals(1, attempts.size(), "shard " + b + " of " + job + " committed by attempts " + attempts);
        }
        assertEquals(shards, commits.size(), "commits for shards outside 0.." + (shards - 1) + ": " + commits.keySet());
        return commits;
    }

    /** The id of the job queued in the coordinator's log after the first {@code before} ones; waits up to 60 s for it. */
    static String awaitJob(Path coordinatorLog, int before)
            throws Exception
    {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher m = QUEUED.matcher(read(coordinatorLog));
            for (int i = 0; m.find(); i++) {
                if (i == before) {
                    return m.group(1);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no job queued at the coordinator within 60 s");
    }

    /** How many times {@code pattern} matches in the log. */
    static int count(Path log, Pattern pattern)
            throws IOException
    {
        Matcher m = pattern.matcher(read(log));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** A log as text; ISO-8859-1 reads any byte, so a stray one cannot fail the read. */
    static String read(Path log)
            throws IOException
    {
        return Files.readString(log, StandardCharsets.ISO_8859_1);
    }

    /** The last 40 lines of each log in {@code folder}, by name. */
    static String tails(Path folder)
    {
        StringBuilder s = new StringBuilder();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path log : files.sorted().toList()) {
                s.append("==== ").append(log.getFileName()).append('\n').append(tail(log, 40));
            }
        }
        catch (IOException | RuntimeException e) {
            s.append("(cannot list logs: ").append(e).append(")\n");
        }
        return s.toString();
    }

    /** The last {@code lines} lines of the log, each cut to 400 characters. */
    static String tail(Path log, int lines)
    {
        try {
            List<String> all = read(log).lines().toList();
            StringBuilder s = new StringBuilder();
            for (String line : all.subList(Math.max(0, all.size() - lines), all.size())) {
                s.append(line.length() > 400 ? line.substring(0, 400) + " ..." : line).append('\n');
            }
            return s.toString();
        }
        catch (IOException e) {
            return "(no log: " + e.getMessage() + ")\n";
        }
    }
}
