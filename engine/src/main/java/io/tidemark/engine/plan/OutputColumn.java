package io.tidemark.engine.plan;

import org.apache.arrow.vector.types.pojo.Field;

import static java.util.Objects.requireNonNull;

/** One output column: where it comes from (side and table column) and its output field. */
public record OutputColumn(Side side, int source, Field field)
{
    public OutputColumn
    {
        requireNonNull(side, "side is null");
        requireNonNull(field, "field is null");
    }
}
