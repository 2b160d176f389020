import type { z } from 'zod';

/** A validation problem that names the field, e.g. `communities[0].port: must be a whole number from 1 to 65535`. */
export interface FieldIssue {
  path: string;
  message: string;
}

export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text === '' ? String(key) : `${text}.${String(key)}`;
  }, '');
}

export function fieldIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({ path: fieldPath([...prefix, ...issue.path]), message: issue.message }));
}

export function formatIssues(issues: readonly FieldIssue[], separator = '\n'): string {
  return issues.map(({ path, message }) => (path === '' ? message : `${path}: ${message}`)).join(separator);
}

/** Thrown when a settings document or a policy fails validation; `issues` name every bad field. */
export class SettingsValidationError extends Error {
  override name = 'SettingsValidationError';

  constructor(
    readonly issues: FieldIssue[],
    context = 'Invalid settings',
  ) {
    super(`${context}:\n${formatIssues(issues)}`);
  }
}
