package io.tidemark.worker;

import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.cluster.FlightAddress;

import static java.util.Objects.requireNonNull;

/** A map output could not be fetched from the worker at {@link #from}: it has to be recomputed. */
final class FragmentsLost
        extends TidemarkException
{
    private final FlightAddress from;

    FragmentsLost(FlightAddress from, Throwable cause)
    {
        super(FailureKind.INPUT_LOST, "map output at " + from + " is gone: " + cause.getMessage(), cause);
        this.from = requireNonNull(from, "from is null");
    }

    FlightAddress from()
    {
        return from;
    }
}
