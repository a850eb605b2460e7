package io.tidemark.engine.shard;

import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;

/**
 * One step that pieces take strictly in order: {@link #await} returns once every piece before
 * {@code piece} has {@link #pass passed}. A failed piece {@link #fail fails} the turns, so nobody
 * waits forever for it: waiting pieces stop with the first failure's kind and message.
 */
final class Turns
{
    private int next;
    private Throwable failed;

    synchronized void await(int piece)
    {
        while (next != piece && failed == null) {
            try {
                wait();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TidemarkException(FailureKind.TRANSIENT, "interrupted", e);
            }
        }
        if (failed != null) {
            // the waiting thread may be the one whose failure the caller reports: repeat the cause's kind and message
            FailureKind kind = failed instanceof TidemarkException ? ((TidemarkException) failed).kind() : FailureKind.FATAL;
            throw new TidemarkException(kind, String.valueOf(failed.getMessage()), failed);
        }
    }

    synchronized void pass(int piece)
    {
        if (next != piece) {
            throw new IllegalStateException("piece " + piece + " passed out of turn (next is " + next + ")");
        }
        next = piece + 1;
        notifyAll();
    }

    synchronized void fail(Throwable cause)
    {
        if (failed == null) {
            failed = cause;
        }
        notifyAll();
    }
}
