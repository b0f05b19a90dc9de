import { GraphQLError, Kind, ValueNode, visit } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { NUL_MESSAGE, pathOfNul } from '../shared/nul-text';

// Refuses U+0000 in any variable or string literal before execution, naming the variable (or the argument)
export function nulTextPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let path = pathOfNul(request.variables ?? {});
          if (path === null) {
            visit(document, {
              Argument(node) {
                if (path === null && valueHasNul(node.value)) path = node.name.value;
              },
            });
          }
          if (path !== null) throw new GraphQLError(NUL_MESSAGE, { extensions: { code: 'BAD_USER_INPUT', details: [{ path, message: NUL_MESSAGE }], http: { status: 400 } } });
        },
      };
    },
  };
}

function valueHasNul(node: ValueNode): boolean {
  if (node.kind === Kind.STRING) return node.value.includes('\u0000');
  if (node.kind === Kind.LIST) return node.values.some(valueHasNul);
  if (node.kind === Kind.OBJECT) return node.fields.some((f) => valueHasNul(f.value));
  return false;
}
