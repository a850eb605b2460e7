package io.tidemark.engine.partition;

import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.util.Objects.requireNonNull;

/**
 * A private folder under {@code --spill-dir}: created empty (at once, or on first use for a task
 * that seldom spills), checked for space, deleted at the end.
 */
public final class SpillDir
        implements AutoCloseable
{
    /**
     * Deletes spill files off the callers' threads: unlinking a file whose pages the kernel is
     * writing back waits for that I/O (about half the time of deleting a piece's files on logs-20M).
     */
    private static final ExecutorService DELETER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tidemark-spill-deleter");
        t.setDaemon(true);
        return t;
    });

    private final Path root;
    private final String name;
    /** The folder, null until created ({@link #onFirstUse}). */
    private Path dir;
    /** Deletions handed to {@link #DELETER} and not done yet: {@link #close} waits for them. */
    private int pending;

    public SpillDir(Path root, String jobName)
    {
        this(root, jobName, true);
    }

    private SpillDir(Path root, String name, boolean now)
    {
        this.root = requireNonNull(root, "root is null");
        this.name = requireNonNull(name, "name is null");
        if (now) {
            path();
        }
    }

    /**
     * A folder created when a file is first put in it: a shard task's, which most tasks never
     * write to. Creating and deleting a folder on a disk busy with spill writes waits for the file
     * system's journal (2-15 ms each on ext4 here, for every one of a large join's 200 shards).
     */
    public static SpillDir onFirstUse(Path root, String name)
    {
        return new SpillDir(root, name, false);
    }

    public synchronized Path path()
    {
        if (dir == null) {
            try {
                Files.createDirectories(root);
                dir = Files.createTempDirectory(root, "tidemark-" + name + "-");
            }
            catch (IOException e) {
                throw TidemarkException.fatal("--spill-dir " + root + ": cannot create a folder there: " + e.getMessage());
            }
        }
        return dir;
    }

    public Path file(String name)
    {
        return path().resolve(name);
    }

    /** Fails clearly when the spill disk cannot hold {@code bytes} more. */
    public void require(long bytes, String what)
    {
        long free;
        try {
            free = Files.getFileStore(path()).getUsableSpace();
        }
        catch (IOException e) {
            return;   // no answer from the file system: the write itself will tell
        }
        if (free < bytes) {
            throw TidemarkException.fatal("--spill-dir " + root + " has " + Bytes.format(free) + " free but " + what
                    + " needs about " + Bytes.format(bytes) + "; point --spill-dir at a larger disk");
        }
    }

    /** The one place that turns a spill write failure into a user-facing error. */
    public TidemarkException writeFailed(Path file, IOException e)
    {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left")) {
            return new TidemarkException(FailureKind.FATAL, "--spill-dir " + root + " is full (no space left on device) while writing " + file.getFileName(), e);
        }
        return new TidemarkException(FailureKind.FATAL, "cannot write spill file " + file + ": " + message, e);
    }

    /**
     * Ends and closes one spill file's writer: closed even when ending fails (or an earlier file
     * failed, when it is only closed), so its buffer goes back to the allocator. Returns the first
     * failure, {@code earlier} or this file's, for the caller to throw once every writer is closed.
     */
    public RuntimeException end(ArrowStreamWriter writer, Path file, RuntimeException earlier)
    {
        try (ArrowStreamWriter w = writer) {
            if (earlier == null) {
                w.end();
            }
            return earlier;
        }
        catch (IOException e) {
            return earlier != null ? earlier : writeFailed(file, e);
        }
        catch (RuntimeException e) {
            return earlier != null ? earlier : e;
        }
    }

    /**
     * Deletes {@code path} (a file or folder inside this folder) soon, on a thread of its own; the
     * caller goes on at once. {@link #close} waits for it.
     */
    public void deleteSoon(Path path)
    {
        requireNonNull(path, "path is null");
        synchronized (this) {
            pending++;
        }
        try {
            DELETER.execute(() -> {
                try {
                    deleteTree(path);
                }
                finally {
                    done();
                }
            });
        }
        catch (RuntimeException e) {
            done();
            deleteTree(path);
        }
    }

    private synchronized void done()
    {
        pending--;
        notifyAll();
    }

    @Override
    public void close()
    {
        synchronized (this) {
            boolean interrupted = false;
            while (pending > 0) {
                try {
                    wait();
                }
                catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (dir == null) {
                return;
            }
        }
        deleteTree(dir);
    }

    public static void deleteTree(Path path)
    {
        if (!Files.exists(path)) {
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                        throws IOException
                {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e)
                        throws IOException
                {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;   // deleted meanwhile
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e)
                        throws IOException
                {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (IOException ignored) {
            // best effort: a leftover temporary folder is not worth failing a finished job
        }
    }
}
