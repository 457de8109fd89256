// How every zod failure reads, wherever external JSON is checked: the gateway's requests and scripts, a run's files.
import type { z } from 'zod';

/** "messages.0.role: expected one of user|assistant; max_tokens: required" */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 8)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
