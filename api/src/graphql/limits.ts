import {
  DocumentNode,
  getNamedType,
  GraphQLError,
  GraphQLSchema,
  isLeafType,
  isListType,
  isNonNullType,
  GraphQLOutputType,
  ValidationRule,
} from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import type { ApolloServerPlugin } from '@apollo/server';

// Introspection (__schema, __type) is exempt from the depth limit: its nested ofType chains are legitimately deep.
// (graphql's own MaxIntrospectionDepthRule, one of the specified rules, bounds the recursive part of it.)
export function depthRule(maxDepth: number): ValidationRule {
  return depthLimit(maxDepth, { ignore: [/^__/] }) as ValidationRule;
}

// How many items a list field stands for, set with @Extensions({ cost: … }) on the field:
// `sizeArg` names the argument that sets the page size (`first`), `size` is the count assumed without it.
export type CostHint = { size?: number; sizeArg?: string };

// Unannotated lists (strategies, positions, events of an execution…) are priced as this many items
export const DEFAULT_LIST_SIZE = 10;

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

// The price of a field: 1 per object (and per root field: each one runs a resolver that reads the database),
// 0 per scalar below the root, times the number of items a list stands for. So the price tracks the rows a query
// can make the server read: 60 aliased `executions(first: 200) { edges { node { events { id } } } }` cost
// 60 × 200 × 13, where counting each field once (as before) priced them at 360.
export const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (type.name.startsWith('__') || field.name.startsWith('__')) return 0;
  const own = isLeafType(getNamedType(field.type)) && !ROOT_TYPES.has(type.name) ? 0 : 1;
  const hint = (field.extensions as { cost?: CostHint } | undefined)?.cost;
  const requested = hint?.sizeArg ? args[hint.sizeArg] : undefined;
  const size =
    typeof requested === 'number'
      ? Math.max(0, requested)
      : (hint?.size ?? (isList(field.type) ? DEFAULT_LIST_SIZE : 1));
  return size * (own + childComplexity);
};

// Throws a GraphQLError for variables that do not fit the operation (execution reports them with the field named)
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
  variables?: Record<string, unknown> | null,
): number {
  return getComplexity({
    schema,
    query: document,
    operationName: operationName ?? undefined,
    variables: variables ?? undefined,
    estimators: [costEstimator],
  });
}

// The error for an operation over the cost limit, or undefined; the same check runs over HTTP and graphql-ws.
export function costError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  maxCost: number,
): GraphQLError | undefined {
  let cost: number;
  try {
    cost = queryCost(schema, document, operationName, variables);
  } catch (error) {
    // Invalid variables: execution reports them as BAD_USER_INPUT with the field named
    if (error instanceof GraphQLError) return undefined;
    throw error;
  }
  if (cost <= maxCost) return undefined;
  return new GraphQLError(`Query is too complex: ${cost} > ${maxCost}`, {
    extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } },
  });
}

export function complexityPlugin<T extends object>(
  schema: GraphQLSchema,
  maxComplexity: number,
): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const error = costError(schema, document, request.operationName, request.variables, maxComplexity);
          if (error) throw error;
        },
      };
    },
  };
}
