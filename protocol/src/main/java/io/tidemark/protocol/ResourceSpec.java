package io.tidemark.protocol;

import static java.util.Objects.requireNonNull;

/**
 * Memory and spill settings for one process running shards; travels inside task messages.
 *
 * @param memoryBytes the whole-process budget (peak RSS) the launcher sized the JVM for
 * @param workers threads that read, partition, sort and join in parallel
 * @param shards hash shards; 0 means derive from input size and memory
 * @param spillDir where partitions and sorted runs are spilled
 * @param rowGroupBytes output row groups are cut at this many buffered bytes
 * @param rowGroupRows ... or at this many rows, whichever comes first
 */
public record ResourceSpec(long memoryBytes, int workers, int shards, String spillDir, long rowGroupBytes, int rowGroupRows)
        implements ClusterMessage
{
    public ResourceSpec
    {
        requireNonNull(spillDir, "spillDir is null");
        if (memoryBytes < 64L << 20) {
            throw TidemarkException.fatal("--memory must be at least 64m, got " + memoryBytes + " bytes");
        }
        if (workers < 1) {
            throw TidemarkException.fatal("--workers must be at least 1, got " + workers);
        }
        if (shards < 0 || shards > 4096) {
            throw TidemarkException.fatal("--shards must be between 1 and 4096 (0 derives it), got " + shards);
        }
        if (rowGroupBytes < 1 << 16 || rowGroupRows < 1) {
            throw TidemarkException.fatal("--row-group-size must be at least 64k bytes and 1 row");
        }
    }
}
