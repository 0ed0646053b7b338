import { identifierSchema } from '@memnex/core/wire';
import { z } from 'zod';
import { SCOPES } from '../auth.js';
import { defineTool } from './tool.js';
import { notBoth, personCallOf, personShape } from './person.js';

const input = z
  .strictObject({
    ...personShape,
    link: identifierSchema.meta({
      description:
        'The new identifier of the same person, e.g. {"channel":"email","id":"priya@example.com"}.',
    }),
  })
  .superRefine(notBoth);

const output = z.object({
  userId: z.string().meta({ description: 'The person the identifier now belongs to.' }),
  channel: z.string().meta({ description: 'Channel of the identifier.' }),
  id: z
    .string()
    .meta({ description: 'The identifier in canonical form (E.164 phone, lower-case email).' }),
});

/** `identity_link`: tie another channel identifier to a person, so every channel reaches the same memories. */
export const identityLink = defineTool({
  name: 'identity_link',
  title: 'Link an identifier to a person',
  description:
    'When the person tells you another way to reach them (email, another phone), link it: later ' +
    'conversations on that channel find the same memories. Fails with CONFLICT if the identifier ' +
    'already belongs to someone else. Phone numbers on voice, sms and whatsapp are one identity already.',
  scope: SCOPES.write,
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  async run(args, session) {
    return session.memnex.identifiers.link({
      ...(await personCallOf(args, session)),
      identifier: args.link,
    });
  },
});
