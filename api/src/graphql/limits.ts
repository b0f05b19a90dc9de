import { GraphQLError, GraphQLSchema, ValidationRule } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { ApolloServerPlugin } from '@apollo/server';

// Introspection (__schema, __type) is exempt from the depth limit: its nested ofType chains are legitimately deep.
export function depthRule(maxDepth: number): ValidationRule {
  return depthLimit(maxDepth, { ignore: [/^__/] }) as ValidationRule;
}

export function complexityPlugin<T extends object>(schema: GraphQLSchema, maxComplexity: number): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema, query: document, operationName: request.operationName, variables: request.variables,
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (error) {
            // Invalid variables: execution reports them as BAD_USER_INPUT with the field named
            if (error instanceof GraphQLError) return;
            throw error;
          }
          if (complexity > maxComplexity) {
            throw new GraphQLError(`Query is too complex: ${complexity} > ${maxComplexity}`, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });
          }
        },
      };
    },
  };
}
