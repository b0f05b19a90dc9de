import { DocumentNode, GraphQLError, Kind, ValueNode, visit } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { isUnstorable, pathOfUnstorableText, UNSTORABLE_TEXT_MESSAGE } from '../shared/storable-text';

// Refuses text PostgreSQL cannot store (see shared/storable-text.ts) in any variable or string literal before
// execution, naming the variable path (or the argument of a literal). The same check runs over graphql-ws.
export function unstorableTextError(
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError | undefined {
  let path = pathOfUnstorableText(variables ?? {});
  if (path === null) {
    visit(document, {
      Argument(node) {
        if (path === null && holdsUnstorable(node.value)) path = node.name.value;
      },
    });
  }
  if (path === null) return undefined;
  return new GraphQLError(UNSTORABLE_TEXT_MESSAGE, {
    extensions: {
      code: 'BAD_USER_INPUT',
      details: [{ path, message: UNSTORABLE_TEXT_MESSAGE }],
      http: { status: 400 },
    },
  });
}

export function storableTextPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const error = unstorableTextError(document, request.variables);
          if (error) throw error;
        },
      };
    },
  };
}

function holdsUnstorable(node: ValueNode): boolean {
  if (node.kind === Kind.STRING) return isUnstorable(node.value);
  if (node.kind === Kind.LIST) return node.values.some(holdsUnstorable);
  if (node.kind === Kind.OBJECT) return node.fields.some((f) => holdsUnstorable(f.value));
  return false;
}
