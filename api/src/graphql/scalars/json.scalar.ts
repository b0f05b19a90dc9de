import { GraphQLJSON } from 'graphql-scalars';

// Broker request/response bodies and event payloads are free-form JSON.
export const JSONScalar = GraphQLJSON;
