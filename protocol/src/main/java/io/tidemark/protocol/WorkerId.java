package io.tidemark.protocol;

import static java.util.Objects.requireNonNull;

/** A typed id: never a bare string in a message. */
public record WorkerId(String value)
        implements ClusterMessage
{
    public WorkerId
    {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("WorkerId is blank");
        }
    }

    @Override
    public String toString()
    {
        return value;
    }
}
