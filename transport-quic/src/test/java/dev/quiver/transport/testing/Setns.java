package dev.quiver.transport.testing;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Moves the calling thread into a network namespace with {@code setns(2)}, called through FFM. Linux keeps the
 * network namespace per thread (unlike the mount or user namespace, a multithreaded process may switch it), and a
 * socket belongs for its whole life to the namespace of the thread that created it.
 */
final class Setns {
    /** {@code <sched.h>}: {@code CLONE_NEWNET}. */
    private static final int CLONE_NEWNET = 0x40000000;
    /** {@code <fcntl.h>}: {@code O_RDONLY | O_CLOEXEC}. */
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    /** {@code int open(const char *pathname, int flags)}. */
    private static final MethodHandle OPEN = handle("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    /** {@code int setns(int fd, int nstype)}. */
    private static final MethodHandle SETNS = handle("setns",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    /** {@code int close(int fd)}. */
    private static final MethodHandle CLOSE = handle("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private Setns() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        MemorySegment address = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(address, descriptor, CAPTURE_ERRNO);
    }

    /** Moves the calling (platform) thread into the namespace pinned at {@code /var/run/netns/NAME}. */
    static void enter(String namespaceFile) throws IOException {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("a virtual thread moves between carriers; setns needs a platform thread");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(namespaceFile), O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new IOException("open(" + namespaceFile + ") failed: errno " + errno(state));
            }
            try {
                int rc = (int) SETNS.invokeExact(state, fd, CLONE_NEWNET);
                if (rc != 0) {
                    throw new IOException("setns(" + namespaceFile + ", CLONE_NEWNET) failed: errno " + errno(state)
                            + " (needs CAP_SYS_ADMIN)");
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(state, fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }
}
