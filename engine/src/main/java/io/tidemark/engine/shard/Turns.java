package io.tidemark.engine.shard;

import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;

/**
 * One step that pieces take strictly in order: {@link #await} returns once every piece before
 * {@code piece} has {@link #pass passed}. A failed piece {@link #fail fails} the turns, so nobody
 * waits forever for it.
 */
final class Turns
{
    private int next;
    private boolean failed;

    synchronized void await(int piece)
    {
        while (next != piece && !failed) {
            try {
                wait();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TidemarkException(FailureKind.TRANSIENT, "interrupted", e);
            }
        }
        if (failed) {
            throw new TidemarkException(FailureKind.TRANSIENT, "an earlier piece failed", null);
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

    synchronized void fail()
    {
        failed = true;
        notifyAll();
    }
}
