package io.tidemark.protocol;

/** One unit of join work: a hash bucket of the {@code by} key and a time piece inside it. */
public record ShardId(int bucket, int piece)
        implements ClusterMessage
{
    public ShardId
    {
        if (bucket < 0 || piece < 0) {
            throw new IllegalArgumentException("negative shard id: " + bucket + "/" + piece);
        }
    }

    /** A name usable in file names, ordered like the shard. */
    public String fileName()
    {
        return String.format("part-%05d-%04d", bucket, piece);
    }

    @Override
    public String toString()
    {
        return bucket + "." + piece;
    }
}
