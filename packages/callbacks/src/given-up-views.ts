import { CALLBACK_STATUSES } from '@sms/contracts';
import { z } from 'zod';

// What the admin API answers about given-up callbacks, as schemas: the OpenAPI document is
// made from them and the conformance test checks answers against it.
const isoTime = z.string().meta({ description: 'ISO 8601, UTC.' });

export const givenUpCallbackSchema = z.object({
  id: z.string().meta({ description: "The event's id, <messageId>:<sequence>, as its receiver gets it." }),
  messageId: z.string(),
  sequence: z.int().min(1).meta({ description: "The event's place among its message's events." }),
  client: z.string(),
  status: z.enum(CALLBACK_STATUSES),
  host: z
    .string()
    .meta({ description: "The receiver's host and port; its path may hold the client's tokens." }),
  at: isoTime.meta({ description: 'When the status changed.' }),
  givenUpAt: isoTime,
  attempts: z.int().min(1),
  lastError: z
    .string()
    .meta({ description: "Why the last attempt failed: the receiver's status, or the network error." }),
});

export const givenUpCallbackDetailsSchema = givenUpCallbackSchema.extend({
  event: z
    .object({
      id: z.string(),
      sequence: z.int().min(1),
      messageId: z.string(),
      reference: z.string().optional(),
      status: z.enum(CALLBACK_STATUSES),
      code: z.int().optional(),
      at: isoTime,
    })
    .meta({
      description: "The body a replay posts, signed with the client's current secret when it is posted.",
    }),
});

export const givenUpPageSchema = z.object({
  callbacks: z.array(givenUpCallbackSchema),
  total: z.int().min(0).meta({ description: 'Given-up callbacks matching the filter, over all pages.' }),
  nextCursor: z
    .string()
    .optional()
    .meta({ description: 'Pass as cursor for the next page; absent on the last page.' }),
});

export const replayedCallbacksSchema = z.object({
  replayed: z.array(z.string()).meta({
    description:
      "Ids put back in their message's outbox, each message's oldest first, behind the events already waiting.",
  }),
  notFound: z
    .array(z.string())
    .meta({ description: 'Ids not given up (any more): replayed already, past retention, or unknown.' }),
});
