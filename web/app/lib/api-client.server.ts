import { Client, fetchExchange, type AnyVariables, type OperationResult, type TypedDocumentNode } from "@urql/core";
import { apiUrl } from "./config.server";

// One client per call: server-side requests must never share a cache between users.
// preferGetMethod false: Apollo's CSRF guard rejects urql's default GET queries.
export function createApiClient(accessToken?: string): Client {
  return new Client({
    url: apiUrl(),
    exchanges: [fetchExchange],
    preferGetMethod: false,
    requestPolicy: "network-only",
    fetchOptions: (): RequestInit => (accessToken ? { headers: { authorization: `Bearer ${accessToken}` } } : {}),
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
