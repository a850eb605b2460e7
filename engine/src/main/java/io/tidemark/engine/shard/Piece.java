package io.tidemark.engine.shard;

import io.tidemark.engine.partition.Fragments;
import io.tidemark.protocol.ShardId;

import static java.util.Objects.requireNonNull;

/** One unit of join work: the left and right fragments of one time piece of one hash bucket. */
public record Piece(ShardId id, Fragments left, Fragments right)
{
    public Piece
    {
        requireNonNull(id, "id is null");
        requireNonNull(left, "left is null");
        requireNonNull(right, "right is null");
    }

    public long bytes()
    {
        return left.bytes() + right.bytes();
    }
}
