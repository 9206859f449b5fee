/**
 * Erasure coding over GF(2^8), in two flavours.
 *
 * <p><b>Random linear network coding</b> for transfers: a generation ({@link dev.quiver.codec.rlnc.GenerationInfo})
 * of k source symbols is sent as coded symbols ({@link dev.quiver.codec.rlnc.CodedSymbol}, wire form in
 * {@link dev.quiver.codec.rlnc.SymbolCodec}) whose coefficients derive from a seed
 * ({@link dev.quiver.codec.rlnc.Coefficients}); any k independent ones decode
 * ({@link dev.quiver.codec.rlnc.RlncDecoder}), and a relay can mix what it holds without decoding
 * ({@link dev.quiver.codec.rlnc.RlncRecoder}).
 *
 * <p><b>Fragments</b> for storage: {@link dev.quiver.codec.fragment.Fragments} splits a blob into n self-describing
 * fragments (storage form in {@link dev.quiver.codec.fragment.FragmentCodec}) with a systematic Cauchy code, so any k
 * restore it exactly, checked against the blob's BLAKE3 hash.
 *
 * <p>Outside data that does not parse or contradicts itself raises checked exceptions
 * ({@link dev.quiver.codec.rlnc.MalformedSymbolException}, {@link dev.quiver.codec.fragment.FragmentException}); all
 * payload arithmetic goes through {@link dev.quiver.codec.gf.GfKernel}.
 */
package dev.quiver.codec.rlnc;
