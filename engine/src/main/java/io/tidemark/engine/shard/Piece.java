package io.tidemark.engine.shard;

import io.tidemark.engine.partition.Fragments;
import io.tidemark.protocol.ShardId;

import static java.util.Objects.requireNonNull;

/**
 * One unit of join work: the left and right fragments of one piece of one hash bucket. Pieces of one
 * {@code chain} are time pieces of the same keys, in on-key order, and pass prevailing right rows
 * on to each other; pieces of different chains hold different keys and are independent.
 */
public record Piece(ShardId id, int chain, Fragments left, Fragments right)
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
