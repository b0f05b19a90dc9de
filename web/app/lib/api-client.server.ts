import { Client, fetchExchange, type AnyVariables, type OperationResult, type TypedDocumentNode } from "@urql/core";
import { clientAddressHeaders } from "./client-address.server";
import { apiUrl } from "./config.server";

// One client per call: server-side requests must never share a cache between users.
// preferGetMethod false: Apollo's CSRF guard rejects urql's default GET queries.
// clientAddress: the browser's, for calls the api limits per address (sign-in, registration).
export function createApiClient(accessToken?: string, clientAddress?: string): Client {
  const headers = {
    ...(accessToken && { authorization: `Bearer ${accessToken}` }),
    ...clientAddressHeaders(clientAddress),
  };
  return new Client({
    url: apiUrl(),
    exchanges: [fetchExchange],
    preferGetMethod: false,
    requestPolicy: "network-only",
    fetchOptions: (): RequestInit => ({ headers }),
  });
}

export type ApiOperation = "query" | "mutation";

export function runOperation<Data, Variables extends AnyVariables>(
  client: Client,
  kind: ApiOperation,
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<OperationResult<Data, Variables>> {
  return kind === "query"
    ? client.query(document, variables).toPromise()
    : client.mutation(document, variables).toPromise();
}
