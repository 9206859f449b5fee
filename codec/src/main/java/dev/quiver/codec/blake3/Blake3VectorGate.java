package dev.quiver.codec.blake3;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decides when {@link JavaBlake3Kernel#INSTANCE} may use {@link Blake3VectorLanes}. Vector API code is fast only
 * once C2 has compiled it: interpreted or under C1, every vector operation allocates and a batch runs about 40 times
 * slower than the scalar path (measured here: 0.016 against 0.3 GB/s). So the gate starts closed. Once this JVM has
 * hashed {@link #TRIGGER_CHUNKS} chunks that could have gone the vector way, one daemon thread calls the vector
 * path on its own buffer until a call runs at compiled speed, then opens the gate; callers use the scalar path
 * until then. Processes that hash little never pay for the warm-up. If the vector path does not get fast within
 * {@link #BUDGET_NS}, the gate stays closed.
 */
final class Blake3VectorGate {
    private static final Logger LOG = LoggerFactory.getLogger(Blake3VectorGate.class);

    /** 8 MiB of eligible input before the warm-up starts. */
    static final long TRIGGER_CHUNKS = 8 * 1024;
    /** Compiled vector code takes about 1 µs per chunk here, C1-compiled about 100, scalar about 3.5. */
    private static final long FAST_NS_PER_CHUNK = 2_500;
    private static final long BUDGET_NS = 60_000_000_000L;
    private static final int FAST_CALLS_IN_A_ROW = 64;

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final LongAdder ELIGIBLE_CHUNKS = new LongAdder();
    private static volatile boolean open;

    private Blake3VectorGate() {
    }

    static boolean isOpen() {
        return open;
    }

    /** Counts chunks the scalar path hashed while the gate was closed; starts the warm-up at the threshold. */
    static void noteScalarChunks(long chunks) {
        if (STARTED.get()) {
            return;
        }
        ELIGIBLE_CHUNKS.add(chunks);
        if (ELIGIBLE_CHUNKS.sum() >= TRIGGER_CHUNKS && STARTED.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("quiver-blake3-vector-warmup").start(Blake3VectorGate::warmUp);
        }
    }

    private static void warmUp() {
        int lanes = Blake3VectorLanes.LANES;
        byte[] input = new byte[lanes * Blake3Flags.CHUNK_LEN];
        Blake3Scratch scratch = new Blake3Scratch();
        long start = System.nanoTime();
        long calls = 0;
        int fastInARow = 0;
        while (System.nanoTime() - start < BUDGET_NS) {
            long t0 = System.nanoTime();
            Blake3VectorLanes.hashChunks(Blake3Compress.IV, 0, input, null, 0, calls, scratch.laneCvs(), 0,
                    scratch.laneWords());
            long took = System.nanoTime() - t0;
            calls++;
            fastInARow = took < FAST_NS_PER_CHUNK * lanes ? fastInARow + 1 : 0;
            // Many fast calls in a row: the method itself is compiled, not just a loop of one call replaced
            // on the stack (OSR), which other threads' calls would not get.
            if (fastInARow == FAST_CALLS_IN_A_ROW) {
                open = true;
                LOG.debug("BLAKE3 vector path warm after {} calls, {} ms", calls, (System.nanoTime() - start) / 1_000_000);
                return;
            }
        }
        LOG.debug("BLAKE3 vector path not fast after {} calls; staying scalar", calls);
    }
}
