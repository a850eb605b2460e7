package io.tidemark.protocol.cluster;

import io.tidemark.protocol.ClusterMessage;

import static java.util.Objects.requireNonNull;

/**
 * One map output: the rows of one bucket of one side from one map task, in a spill file that the
 * producing worker serves over Flight ({@code path} is relative to its spill root). Sizes and a key
 * sample travel along so the reducer can size vectors and cut time pieces before fetching.
 */
public record FragmentRef(FlightAddress at, String path, boolean left, int bucket, int mapIndex, long rows, long bytes,
        long[] varBytes, long[] sample)
        implements ClusterMessage
{
    public FragmentRef
    {
        requireNonNull(at, "at is null");
        requireNonNull(path, "path is null");
        requireNonNull(varBytes, "varBytes is null");
        requireNonNull(sample, "sample is null");
    }
}
