package io.tidemark.engine.shard;

import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TurnsTest
{
    @Test
    void piecesPassInOrderWhateverOrderTheyArrive()
            throws InterruptedException
    {
        Turns turns = new Turns();
        List<Integer> order = new CopyOnWriteArrayList<>();
        Thread[] threads = new Thread[4];
        for (int i = threads.length - 1; i >= 0; i--) {
            int piece = i;
            threads[i] = new Thread(() -> {
                turns.await(piece);
                order.add(piece);
                turns.pass(piece);
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(List.of(0, 1, 2, 3), order);
        assertThrows(IllegalStateException.class, () -> turns.pass(7));
    }

    @Test
    void waitingPiecesStopWithTheFirstFailure()
            throws InterruptedException
    {
        Turns turns = new Turns();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread waiting = new Thread(() -> {
            try {
                turns.await(1);
            }
            catch (TidemarkException e) {
                seen.set(e);
            }
        });
        waiting.start();
        turns.fail(new TidemarkException(FailureKind.INPUT_LOST, "spill file /x is gone"));
        turns.fail(new IllegalStateException("a later failure"));
        waiting.join(10_000);
        TidemarkException e = (TidemarkException) seen.get();
        assertEquals(FailureKind.INPUT_LOST, e.kind());
        assertEquals("spill file /x is gone", e.getMessage());
        assertThrows(TidemarkException.class, () -> turns.await(0), "a failed turn never opens again");
    }
}
