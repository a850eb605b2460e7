package io.tidemark.protocol;

import static java.util.Objects.requireNonNull;

/** A typed id: never a bare string in a message. */
public record JobId(String value)
        implements ClusterMessage
{
    public JobId
    {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("JobId is blank");
        }
    }

    @Override
    public String toString()
    {
        return value;
    }
}
