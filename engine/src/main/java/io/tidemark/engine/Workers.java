package io.tidemark.engine;

import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs {@code tasks} indexed tasks on {@code threads} threads that pull the next index, and returns
 * their results in index order. The first failure stops the rest and is rethrown as is.
 */
public final class Workers
{
    private Workers() {}

    public static <T> List<T> map(int threads, int tasks, IntFunction<T> task)
    {
        int n = Math.max(1, Math.min(threads, tasks));
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "tidemark-worker");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger next = new AtomicInteger();
        Object[] results = new Object[tasks];
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    for (int k; (k = next.getAndIncrement()) < tasks; ) {
                        results[k] = task.apply(k);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                }
                catch (ExecutionException e) {
                    next.set(tasks);
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException) {
                        throw (RuntimeException) cause;
                    }
                    if (cause instanceof Error) {
                        throw (Error) cause;
                    }
                    throw new TidemarkException(FailureKind.FATAL, cause.toString(), cause);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TidemarkException(FailureKind.TRANSIENT, "interrupted", e);
                }
            }
        }
        finally {
            pool.shutdownNow();
            try {
                // let failed siblings release their memory before the caller closes the allocator
                pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<T> out = new ArrayList<>();
        for (Object r : results) {
            @SuppressWarnings("unchecked")
            T t = (T) r;
            out.add(t);
        }
        return out;
    }
}
