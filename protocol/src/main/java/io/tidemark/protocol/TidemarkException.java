package io.tidemark.protocol;

import static java.util.Objects.requireNonNull;

/** A failure with its {@link FailureKind} and a one-line message meant for the user. */
public class TidemarkException
        extends RuntimeException
{
    private final FailureKind kind;

    public TidemarkException(FailureKind kind, String message)
    {
        super(requireNonNull(message, "message is null"));
        this.kind = requireNonNull(kind, "kind is null");
    }

    public TidemarkException(FailureKind kind, String message, Throwable cause)
    {
        super(requireNonNull(message, "message is null"), cause);
        this.kind = requireNonNull(kind, "kind is null");
    }

    public FailureKind kind()
    {
        return kind;
    }

    public static TidemarkException fatal(String message)
    {
        return new TidemarkException(FailureKind.FATAL, message);
    }
}
