/** Vectors as bytes (little-endian float32) and as pgvector text, and exact cosine similarity. */

/** The bytes of a vector: 4 per dimension, little-endian whatever the platform. */
export function encodeVector(vector: Float32Array): Uint8Array {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  vector.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return bytes;
}

/** Whether this platform stores floats little-endian, as the stored bytes are. */
const LITTLE_ENDIAN = new Uint8Array(Float32Array.of(1).buffer)[3] === 0x3f;

/**
 * The vector of {@link encodeVector}'s bytes: a view of them without copying where the
 * platform and the alignment allow (the caller must not keep it past the bytes' lifetime),
 * a decoded copy otherwise.
 */
export function vectorOf(bytes: Uint8Array): Float32Array {
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0 && bytes.byteLength % 4 === 0) {
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  }
  return decodeVector(bytes);
}

/** The vector of {@link encodeVector}'s bytes, decoded into a new array. */
export function decodeVector(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vector = new Float32Array(Math.floor(bytes.byteLength / 4));
  for (let index = 0; index < vector.length; index += 1) {
    vector[index] = view.getFloat32(index * 4, true);
  }
  return vector;
}

/**
 * pgvector's text form, `[1,0.5,...]`. Every float32 prints exactly as a JavaScript number, so
 * the server parses back the same floats.
 */
export function vectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`;
}
