package io.tidemark.engine.shard;

import org.apache.arrow.vector.VectorSchemaRoot;

import static java.util.Objects.requireNonNull;

/** Rows copied out of a {@link CarryStore}, and for each the index of its key among the keys looked up. */
record CarriedRows(VectorSchemaRoot root, int[] keyIndex)
        implements AutoCloseable
{
    CarriedRows
    {
        requireNonNull(root, "root is null");
        requireNonNull(keyIndex, "keyIndex is null");
    }

    @Override
    public void close()
    {
        root.close();
    }
}
