import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { AppError, FieldIssue } from '../shared/app-error';
import { logger } from '../shared/logger';
import { currentContext } from '../shared/request-context';

// Codes GraphQL itself produces for bad documents or variables: passed through as they are.
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'QUERY_TOO_COMPLEX',
]);

function flattenValidation(errors: ValidationError[], prefix = ''): FieldIssue[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flattenValidation(e.children ?? [], path)];
  });
}

// The one place domain errors become GraphQL errors; unknown errors are logged and never shown to clients.
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof AppError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        code: original.code,
        ...(original.details && { details: original.details }),
        ...(original.retryAfterSeconds && { retryAfterSeconds: original.retryAfterSeconds }),
      },
    };
  }
  if (original instanceof ArgumentValidationError) {
    const details = flattenValidation(original.extensions.validationErrors as ValidationError[]);
    return {
      message: details.map((d) => `${d.path}: ${d.message}`).join('; ') || 'Invalid input',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT', details },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) return formatted;
  // GraphQL input coercion errors (wrong types in literals/variables) carry no original error
  if (error instanceof GraphQLError && !error.originalError && !error.path)
    return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
  logger.error('unhandled GraphQL error', {
    error: original,
    path: formatted.path,
    correlationId: currentContext()?.correlationId,
  });
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
