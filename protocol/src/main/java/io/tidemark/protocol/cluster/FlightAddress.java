package io.tidemark.protocol.cluster;

import io.tidemark.protocol.ClusterMessage;
import io.tidemark.protocol.TidemarkException;

import static java.util.Objects.requireNonNull;

/** Where a role's Arrow Flight server listens. */
public record FlightAddress(String host, int port)
        implements ClusterMessage
{
    public FlightAddress
    {
        requireNonNull(host, "host is null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad port " + port);
        }
    }

    /** HOST:PORT as a user writes it. */
    public static FlightAddress parse(String text, String option)
    {
        int colon = text.lastIndexOf(':');
        try {
            if (colon > 0) {
                return new FlightAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
            }
        }
        catch (IllegalArgumentException e) {
            // fall through to the one message
        }
        throw TidemarkException.fatal(option + " " + text + ": expected HOST:PORT");
    }

    @Override
    public String toString()
    {
        return host + ":" + port;
    }
}
