package dev.deneb.examples.common;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Gives an example the heap it needs instead of the JVM's default. A JVM started without heap options may grow its
 * heap to a quarter of the machine's memory, and G1 does grow it whenever collections take more than about 1 % of the
 * time while the heap is small — for an example whose data take 220 MB that meant 1.2 to 3 GB of resident memory.
 *
 * <p>When the command to run implements {@link HeapBudget} and the JVM was started with no options but
 * {@code --add-modules}, {@code --enable-native-access} and {@code -D} properties (the command in the README), the
 * process executes itself again, once, with {@code -Xmx} set to the command's budget: {@code execv}, so it stays one
 * process (same pid, exit code and signals; nothing waits in the background). Any other JVM option, including a
 * heap size, an agent or a GC flag, or {@code JDK_JAVA_OPTIONS}/{@code JAVA_TOOL_OPTIONS}/{@code _JAVA_OPTIONS} in
 * the environment, leaves the JVM as it was started; so does Windows, or a JVM that denies native access.
 */
public final class HeapLauncher {
    private static final List<String> JVM_ENV = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS");

    private HeapLauncher() {}

    /** A command that can tell, from its parsed options, how much heap it needs. */
    public interface HeapBudget {
        /** The {@code -Xmx} for this run in MiB, or empty when it cannot tell (e.g. its data are missing). */
        OptionalLong heapMiB();
    }

    /**
     * Re-executes this JVM with the budget of the command {@code args} select, when that applies (see the class
     * comment); returns only when it does not. {@code probe} is a fresh command line, used only to parse.
     */
    public static void sizeHeap(String[] args, CommandLine probe) {
        if (System.getProperty("os.name", "").startsWith("Windows")
                || !HeapLauncher.class.getModule().isNativeAccessEnabled()
                || !unconfigured(ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getenv())) {
            return;
        }
        OptionalLong budget = budget(probe, args);
        if (budget.isEmpty()) {
            return;
        }
        List<String> command = command(budget.getAsLong(), args, probe.getCommand().getClass().getName(),
                System.getProperty("sun.java.command", ""), System.getProperty("java.class.path", ""));
        if (command.isEmpty()) {
            return;
        }
        try {
            execv(command);
        } catch (Throwable e) {
            // Not fatal: the example runs in this JVM, with the default heap.
        }
    }

    /** Whether the JVM runs with no options a user chose beyond modules, native access and properties. */
    static boolean unconfigured(List<String> inputArguments, Map<String, String> env) {
        for (String name : JVM_ENV) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return false;
            }
        }
        for (String a : inputArguments) {
            if (!(a.startsWith("--add-modules") || a.startsWith("--enable-native-access") || a.startsWith("-D"))) {
                return false;
            }
        }
        return true;
    }

    /** The budget of the (innermost) command {@code args} select; empty for help, errors or no budget. */
    static OptionalLong budget(CommandLine probe, String[] args) {
        ParseResult r;
        try {
            r = probe.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return OptionalLong.empty();
        }
        while (true) {
            if (r.isUsageHelpRequested() || r.isVersionHelpRequested()) {
                return OptionalLong.empty();
            }
            if (!r.hasSubcommand()) {
                break;
            }
            r = r.subcommand();
        }
        return r.commandSpec().userObject() instanceof HeapBudget b ? b.heapMiB() : OptionalLong.empty();
    }

    /**
     * The same launch with {@code -Xmx}: this JVM's options, then the jar or the class path and main class, then
     * {@code args}; empty when this JVM was not launched that way (e.g. the example runs inside another tool's JVM).
     */
    static List<String> command(long heapMiB, String[] args, String mainClass, String launched, String classPath) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        c.add(String.format(Locale.ROOT, "-Xmx%dm", heapMiB));
        if (!classPath.isEmpty() && startsWithWord(launched, classPath)) {
            c.addAll(List.of("-jar", classPath));
        } else if (startsWithWord(launched, mainClass)) {
            c.addAll(List.of("-cp", classPath, mainClass));
        } else {
            return List.of();
        }
        c.addAll(List.of(args));
        return c;
    }

    private static boolean startsWithWord(String s, String word) {
        return s.equals(word) || s.startsWith(word + " ");
    }

    /** Replaces this process with {@code command}; returns (by exception) only if that failed. */
    private static void execv(List<String> command) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MemorySegment fn = linker.defaultLookup().find("execv").orElseThrow();
        MethodHandle execv = linker.downcallHandle(fn,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment argv = arena.allocate(ValueLayout.ADDRESS, command.size() + 1L);
            for (int i = 0; i < command.size(); i++) {
                argv.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(command.get(i)));
            }
            argv.setAtIndex(ValueLayout.ADDRESS, command.size(), MemorySegment.NULL);
            System.out.flush();
            System.err.flush();
            int rc = (int) execv.invokeExact(arena.allocateFrom(command.getFirst()), argv);
            throw new IllegalStateException("execv failed (" + rc + ")");
        }
    }
}
