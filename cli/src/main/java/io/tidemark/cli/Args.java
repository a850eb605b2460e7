package io.tidemark.cli;

import io.tidemark.protocol.TidemarkException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small, strict command-line parser: known options only, {@code --opt value} or {@code --opt=value}. */
final class Args
{
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    Args(String[] argv, int from, Set<String> valued, Set<String> flags)
    {
        for (int i = from; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("-") && a.length() > 1 && !a.equals("-")) {
                String name = a;
                String value = null;
                int eq = a.indexOf('=');
                if (eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                }
                if (flags.contains(name)) {
                    if (value != null) {
                        throw usage(name + " takes no value");
                    }
                    values.put(name, "true");
                }
                else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= argv.length) {
                            throw usage(name + " needs a value");
                        }
                        value = argv[++i];
                    }
                    values.put(name, value);
                }
                else {
                    throw usage("unknown option " + name);
                }
            }
            else {
                positional.add(a);
            }
        }
    }

    static TidemarkException usage(String message)
    {
        return new UsageException(message);
    }

    String get(String name)
    {
        return values.get(name);
    }

    String get(String name, String fallback)
    {
        return values.getOrDefault(name, fallback);
    }

    boolean has(String name)
    {
        return values.containsKey(name);
    }

    List<String> positional()
    {
        return positional;
    }

    static List<String> list(String text)
    {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    static final class UsageException
            extends TidemarkException
    {
        UsageException(String message)
        {
            super(io.tidemark.protocol.FailureKind.FATAL, message);
        }
    }
}
