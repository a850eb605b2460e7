package io.tidemark.protocol;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeoutException;

/** The one failure classifier: every catch site that decides "retry or give up" asks here. */
public final class Failures
{
    private Failures() {}

    public static FailureKind classify(Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TidemarkException) {
                return ((TidemarkException) t).kind();
            }
            if (t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
                return FailureKind.INPUT_LOST;
            }
            if (t instanceof TimeoutException || t instanceof InterruptedIOException
                    || t instanceof ConnectException || t instanceof SocketException) {
                return FailureKind.TRANSIENT;
            }
            if (t instanceof IOException && String.valueOf(t.getMessage()).contains("No space left")) {
                return FailureKind.FATAL;
            }
        }
        return FailureKind.FATAL;
    }

    /** The user-facing one-line message of a failure. */
    public static String message(Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TidemarkException) {
                return t.getMessage();
            }
        }
        String text = failure.getMessage();
        return failure.getClass().getSimpleName() + (text == null ? "" : ": " + text);
    }
}
