package io.tidemark.protocol;

/** The coordinator's incarnation: bumped each time the singleton moves, so stale orders are ignored. */
public record Epoch(long value)
        implements ClusterMessage, Comparable<Epoch>
{
    public boolean isNewerThan(Epoch other)
    {
        return value > other.value;
    }

    @Override
    public int compareTo(Epoch other)
    {
        return Long.compare(value, other.value);
    }
}
