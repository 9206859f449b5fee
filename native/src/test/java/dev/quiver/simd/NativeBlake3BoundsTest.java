package dev.quiver.simd;

import dev.quiver.codec.blake3.Blake3Flags;
import dev.quiver.codec.blake3.Blake3Kernel;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Bad arguments are refused in Java, before any downcall: the output buffer, which a downcall would overwrite,
 * stays untouched, and the exception is the documented one. Lengths and offsets that would make C read or write
 * far outside the arrays are among them, so a missing check would show as a crash or a changed buffer.
 */
@Timeout(30)
class NativeBlake3BoundsTest {
    private static final int[] IV = Blake3TestSupport.IV;

    static Stream<Isa> tiers() {
        return Blake3TestSupport.blake3Isas();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void badHashOffsetsAndLengthsThrowBeforeTheDowncall(Isa isa) {
        Blake3Kernel k = Blake3TestSupport.kernel(isa);
        byte[] in = new byte[100];
        byte[] out = new byte[40];
        refused(IndexOutOfBoundsException.class, out, () -> k.hash(IV, 0, in, -1, 10, out, 0, 32));
        refused(IndexOutOfBoundsException.class, out, () -> k.hash(IV, 0, in, 0, -1, out, 0, 32));
        refused(IndexOutOfBoundsException.class, out, () -> k.hash(IV, 0, in, 0, 101, out, 0, 32));
        refused(IndexOutOfBoundsException.class, out, () -> k.hash(IV, 0, in, 91, 10, out, 0, 32));
        refused(IndexOutOfBoundsException.class, out, () -> k.hash(IV, 0, in, Integer.MAX_VALUE, 10, out, 0, 32));
        refused(IndexOutOfBoundsException.class, out, () -> k.hash(IV, 0, in, 10, Integer.MAX_VALUE, out, 0, 32));
        refused(IndexOutOfBoundsException.class, out, () -> k.hash(IV, 0, in, 0, 10, out, -1, 32));
        refused(IndexOutOfBoundsException.class, out, () -> k.hash(IV, 0, in, 0, 10, out, 0, -1));
        refused(IndexOutOfBoundsException.class, out, () -> k.hash(IV, 0, in, 0, 10, out, 9, 32));
        refused(IndexOutOfBoundsException.class, out, () -> k.hash(IV, 0, in, 0, 10, out, 0, 1 << 30));
        refused(IndexOutOfBoundsException.class, out, () -> k.hash(IV, 0, in, 0, 10, out, Integer.MAX_VALUE, 2));
        refused(IndexOutOfBoundsException.class, out,
                () -> k.hash(IV, 0, MemorySegment.ofArray(in), out, 20, Integer.MAX_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void badKeysFlagsAndNullsThrowBeforeTheDowncall(Isa isa) {
        Blake3Kernel k = Blake3TestSupport.kernel(isa);
        byte[] in = new byte[100];
        byte[] out = new byte[40];
        refused(IndexOutOfBoundsException.class, out, () -> k.hash(new int[7], 0, in, 0, 10, out, 0, 32));
        refused(IndexOutOfBoundsException.class, out, () -> k.hash(new int[0], 0, in, 0, 10, out, 0, 32));
        refused(IllegalArgumentException.class, out, () -> k.hash(IV, Blake3Flags.ROOT, in, 0, 10, out, 0, 32));
        refused(IllegalArgumentException.class, out,
                () -> k.hash(IV, Blake3Flags.KEYED_HASH | Blake3Flags.DERIVE_KEY_MATERIAL, in, 0, 10, out, 0, 32));
        refused(NullPointerException.class, out, () -> k.hash(null, 0, in, 0, 10, out, 0, 32));
        refused(NullPointerException.class, out, () -> k.hash(IV, 0, (byte[]) null, 0, 10, out, 0, 32));
        refused(NullPointerException.class, out, () -> k.hash(IV, 0, (MemorySegment) null, out, 0, 32));
        refused(NullPointerException.class, out, () -> k.hash(IV, 0, in, 0, 10, null, 0, 32));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void badSubtreeArgumentsThrowBeforeTheDowncall(Isa isa) {
        Blake3Kernel k = Blake3TestSupport.kernel(isa);
        byte[] in = new byte[4096];
        byte[] cv = new byte[40];
        refused(IndexOutOfBoundsException.class, cv, () -> k.subtreeChainingValue(IV, 0, in, -1, 10, 0, cv, 0));
        refused(IndexOutOfBoundsException.class, cv, () -> k.subtreeChainingValue(IV, 0, in, 0, -5, 0, cv, 0));
        refused(IndexOutOfBoundsException.class, cv, () -> k.subtreeChainingValue(IV, 0, in, 4000, 97, 0, cv, 0));
        refused(IndexOutOfBoundsException.class, cv,
                () -> k.subtreeChainingValue(IV, 0, in, Integer.MAX_VALUE, 2, 0, cv, 0));
        refused(IndexOutOfBoundsException.class, cv, () -> k.subtreeChainingValue(IV, 0, in, 0, 10, 0, cv, 9));
        refused(IndexOutOfBoundsException.class, cv, () -> k.subtreeChainingValue(IV, 0, in, 0, 10, 0, cv, -1));
        refused(IndexOutOfBoundsException.class, cv,
                () -> k.subtreeChainingValue(IV, 0, in, 0, 10, 0, cv, Integer.MAX_VALUE));
        // Tree rules: a subtree is non-empty and aligned to its size rounded up to a power of two.
        refused(IllegalArgumentException.class, cv, () -> k.subtreeChainingValue(IV, 0, in, 0, 0, 0, cv, 0));
        refused(IllegalArgumentException.class, cv, () -> k.subtreeChainingValue(IV, 0, in, 0, 2048, 1, cv, 0));
        refused(IllegalArgumentException.class, cv, () -> k.subtreeChainingValue(IV, 0, in, 0, 3000, 2, cv, 0));
        refused(IllegalArgumentException.class, cv, () -> k.subtreeChainingValue(IV, 0, in, 0, 100, -1, cv, 0));
        refused(IllegalArgumentException.class, cv,
                () -> k.subtreeChainingValue(IV, 0, in, 0, 100, Long.MIN_VALUE, cv, 0));
        refused(IllegalArgumentException.class, cv,
                () -> k.subtreeChainingValue(IV, 0, MemorySegment.ofArray(new byte[0]), 0, cv, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tiers")
    void aClosedSegmentIsRefusedNotRead(Isa isa) {
        Blake3Kernel k = Blake3TestSupport.kernel(isa);
        MemorySegment closed;
        try (Arena arena = Arena.ofConfined()) {
            closed = arena.allocate(4096);
        }
        byte[] out = new byte[32];
        refused(IllegalStateException.class, out, () -> k.hash(IV, 0, closed, out, 0, 32));
        refused(IllegalStateException.class, out, () -> k.subtreeChainingValue(IV, 0, closed, 0, out, 0));
    }

    private static void refused(Class<? extends Throwable> expected, byte[] out, Executable call) {
        Arrays.fill(out, (byte) 0x5A);
        byte[] before = out.clone();
        assertThrows(expected, call);
        assertArrayEquals(before, out, "the output buffer changed: the call reached native code");
    }
}
