package io.tidemark.engine.shard;

import io.tidemark.engine.partition.Fragments;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One independent unit of join work: a piece and the right rows carried into it from the other
 * pieces of its bucket (the prevailing row per key before and after it). Carried rows keep their on
 * key and ordinal, so the kernel treats them like any other right row.
 */
public record PieceTask(Piece piece, List<Fragments> carried)
{
    public PieceTask
    {
        requireNonNull(piece, "piece is null");
        carried = List.copyOf(requireNonNull(carried, "carried is null"));
    }
}
