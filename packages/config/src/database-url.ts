import { z } from 'zod';

/** The PostgreSQL that archives final status records, as every service that reads or writes it names it. */
export const databaseUrl = () =>
  z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'must start with postgres:// or postgresql://' })
    .optional();
