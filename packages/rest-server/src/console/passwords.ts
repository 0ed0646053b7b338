import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): tens of milliseconds per
 * guess on a server core, with a random 16-byte salt in every hash.
 */
const PARAMETERS = {
  // `Algorithm.Argon2id`, a const enum that isolated modules cannot read.
  algorithm: 2 as Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** A hash of a password no account has, checked when the e-mail is unknown (see below). */
let decoy: Promise<string> | undefined;

/** A slow, salted hash of a password, as a PHC string (`$argon2id$v=19$...`). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMETERS);
}

/**
 * Whether `password` matches `passwordHash`. Without a hash (unknown e-mail) a decoy hash is
 * checked anyway and the answer is false, so that a refusal takes as long whether or not the
 * e-mail has an account.
 */
export async function checkPassword(
  passwordHash: string | null,
  password: string,
): Promise<boolean> {
  if (passwordHash === null) {
    decoy ??= hashPassword(randomBytes(24).toString('base64url'));
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
