package io.tidemark.engine;

import java.nio.file.Path;

/** What a finished join reports: the figures of the final summary line. */
public record JobSummary(Path output, long leftRows, long rightRows, long rowsOut, long matchedRows, int shards,
        long spilledBytes, long wallMillis, long arrowPeakBytes)
{
    public double matchedPercent()
    {
        return rowsOut == 0 ? 0 : 100.0 * matchedRows / rowsOut;
    }
}
