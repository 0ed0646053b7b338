import { randomBytes } from 'node:crypto';
import type { AccountRole } from '@memnex/core';
import { errors, jwtVerify, SignJWT } from 'jose';

/** What a console session token says: who signed in, to which tenant, until when. */
export interface SessionClaims {
  /** Account id (`sub`). */
  accountId: string;
  /** Tenant id (`tid`): every console call of the session is made in it, and only in it. */
  tenantId: string;
  role: AccountRole;
  /** The session's anti-forgery token (`csrf`), sent back in `X-CSRF-Token` on every change. */
  csrf: string;
  /** Expiry, seconds since the epoch (`exp`). */
  expiresAt: number;
}

const ISSUER = 'memnex';
const AUDIENCE = 'memnex-console';

/** Signs and checks console session tokens: JWTs with HS256 and a fixed issuer and audience. */
export interface SessionTokens {
  /** A signed token for a new session, and its claims. */
  issue(session: Omit<SessionClaims, 'csrf' | 'expiresAt'>): Promise<{
    token: string;
    claims: SessionClaims;
  }>;
  /** The claims of a valid token, or null when it is malformed, tampered with or expired. */
  verify(token: string): Promise<SessionClaims | null>;
  /** How long a session lasts, in seconds. */
  readonly ttlSeconds: number;
}

/** Session tokens signed with `signingKey` (at least 32 bytes), valid for `ttlSeconds`. */
export function createSessionTokens(options: {
  signingKey: string;
  ttlSeconds: number;
  now: () => Date;
}): SessionTokens {
  const key = new TextEncoder().encode(options.signingKey);
  const seconds = () => Math.floor(options.now().getTime() / 1000);
  return {
    ttlSeconds: options.ttlSeconds,
    async issue({ accountId, tenantId, role }) {
      const issuedAt = seconds();
      const claims: SessionClaims = {
        accountId,
        tenantId,
        role,
        csrf: randomBytes(24).toString('base64url'),
        expiresAt: issuedAt + options.ttlSeconds,
      };
      const token = await new SignJWT({ tid: tenantId, role, csrf: claims.csrf })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(accountId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(claims.expiresAt)
        .setJti(randomBytes(12).toString('base64url'))
        .sign(key);
      return { token, claims };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          currentDate: options.now(),
          requiredClaims: ['sub', 'exp', 'iat'],
        });
        const { sub, tid, role, csrf, exp } = payload;
        if (
          typeof sub !== 'string' ||
          typeof tid !== 'string' ||
          (role !== 'owner' && role !== 'viewer') ||
          typeof csrf !== 'string' ||
          typeof exp !== 'number'
        ) {
          return null;
        }
        return { accountId: sub, tenantId: tid, role, csrf, expiresAt: exp };
      } catch (error) {
        if (error instanceof errors.JOSEError) return null;
        throw error;
      }
    },
  };
}
