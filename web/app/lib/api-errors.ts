import type { CombinedError } from "@urql/core";

// What the UI shows for a failed API call: one message plus per-field messages when the API names fields.
export type ApiFailure = {
  code: string | null;
  message: string;
  fieldErrors: Record<string, string>;
};

type ValidationIssue = { property?: unknown; constraints?: unknown; children?: unknown };
type DetailIssue = { path?: unknown; field?: unknown; message?: unknown };

export function failureCodes(error: CombinedError | undefined): string[] {
  if (!error) return [];
  return error.graphQLErrors.map((e) => (typeof e.extensions?.code === "string" ? e.extensions.code : ""));
}

export function isUnauthenticated(error: CombinedError | undefined): boolean {
  return failureCodes(error).includes("UNAUTHENTICATED");
}

export function describeApiError(error: CombinedError): ApiFailure {
  if (error.networkError || error.graphQLErrors.length === 0) {
    return {
      code: "NETWORK",
      message: "The AlgoDatta API could not be reached. Please try again in a moment.",
      fieldErrors: {},
    };
  }
  const first = error.graphQLErrors[0];
  const code = typeof first.extensions?.code === "string" ? first.extensions.code : null;
  const fieldErrors: Record<string, string> = {};
  for (const gqlError of error.graphQLErrors) collectFieldErrors(gqlError.extensions ?? {}, fieldErrors);
  return { code, message: friendlyMessage(code, first.message), fieldErrors };
}

function friendlyMessage(code: string | null, message: string): string {
  // Apollo hides internal errors behind this text; say something a trader can act on.
  if (code === "INTERNAL_SERVER_ERROR") return "The server had a problem handling this request. Please try again.";
  if (code === "BAD_USER_INPUT" && /^argument validation error$/i.test(message)) {
    return "Some fields are not valid. Please check the highlighted fields.";
  }
  return message;
}

// Accepts the shapes our API may use: type-graphql's `validationErrors` (class-validator),
// `fieldErrors: { field: message }`, and `details: [{ path, message }]` like the REST shim.
function collectFieldErrors(extensions: Record<string, unknown>, out: Record<string, string>): void {
  const { validationErrors, fieldErrors, details } = extensions;
  if (Array.isArray(validationErrors)) {
    for (const issue of validationErrors as ValidationIssue[]) addValidationIssue(issue, out);
  }
  if (fieldErrors && typeof fieldErrors === "object" && !Array.isArray(fieldErrors)) {
    for (const [field, message] of Object.entries(fieldErrors)) {
      if (typeof message === "string") out[lastSegment(field)] ??= message;
      else if (Array.isArray(message) && typeof message[0] === "string") out[lastSegment(field)] ??= message[0];
    }
  }
  if (Array.isArray(details)) {
    for (const detail of details as DetailIssue[]) {
      const field =
        typeof detail.path === "string" ? detail.path : typeof detail.field === "string" ? detail.field : null;
      if (field && typeof detail.message === "string") out[lastSegment(field)] ??= detail.message;
    }
  }
}

function addValidationIssue(issue: ValidationIssue, out: Record<string, string>): void {
  if (typeof issue.property === "string" && issue.constraints && typeof issue.constraints === "object") {
    const first = Object.values(issue.constraints as Record<string, unknown>).find((m) => typeof m === "string");
    if (typeof first === "string") out[issue.property] ??= first;
  }
  if (Array.isArray(issue.children)) {
    for (const child of issue.children as ValidationIssue[]) addValidationIssue(child, out);
  }
}

// "input.qty" -> "qty": the form names fields without the argument prefix.
function lastSegment(path: string): string {
  const parts = path.split(".");
  return parts[parts.length - 1] ?? path;
}
