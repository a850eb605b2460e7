package io.tidemark.cli;

import io.tidemark.engine.JobSummary;
import io.tidemark.engine.partition.Bytes;
import io.tidemark.protocol.ResourceSpec;

import java.util.Locale;

/** The final line of a join: rows in and out, matched share, shards, spill, wall time and peak RSS. */
final class Summary
{
    private Summary() {}

    static String line(JobSummary s, ResourceSpec resources)
    {
        long rss = MemoryDefaults.peakRss();
        return String.format(Locale.ROOT,
                "tidemark: done: %,d left + %,d right rows in, %,d rows out (%.1f%% matched), %d shards, spilled %s, %.1f s, peak RSS %s of %s budget -> %s",
                s.leftRows(), s.rightRows(), s.rowsOut(), s.matchedPercent(), s.shards(), Bytes.format(s.spilledBytes()),
                s.wallMillis() / 1000.0, rss < 0 ? "n/a" : Bytes.format(rss), Bytes.format(resources.memoryBytes()), s.output());
    }
}
