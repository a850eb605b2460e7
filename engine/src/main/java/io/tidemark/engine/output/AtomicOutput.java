package io.tidemark.engine.output;

import io.tidemark.engine.partition.SpillDir;
import io.tidemark.protocol.TidemarkException;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Output is written under a temporary name beside its destination and renamed into place only when
 * complete, so a failed run leaves no partial output and a reader never sees half a result.
 */
public final class AtomicOutput
        implements AutoCloseable
{
    private final Path target;
    private final Path temporary;
    private boolean published;

    public AtomicOutput(Path target)
    {
        this.target = target.toAbsolutePath();
        Path parent = this.target.getParent();
        try {
            Files.createDirectories(parent);
        }
        catch (IOException e) {
            throw TidemarkException.fatal("-o " + target + ": cannot create " + parent + ": " + e.getMessage());
        }
        this.temporary = parent.resolve("." + this.target.getFileName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public Path temporary()
    {
        return temporary;
    }

    public Path target()
    {
        return target;
    }

    /** Renames the finished temporary into place, replacing an older output of the same name. */
    public void publish()
    {
        try {
            if (Files.isDirectory(target)) {
                Path old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID().toString().substring(0, 8));
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                SpillDir.deleteTree(old);
            }
            else {
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            published = true;
        }
        catch (IOException e) {
            throw TidemarkException.fatal("-o " + target + ": cannot publish the result: " + e.getMessage());
        }
    }

    /** Removes the temporary when the run failed before publishing. */
    @Override
    public void close()
    {
        if (!published) {
            SpillDir.deleteTree(temporary);
        }
    }
}
