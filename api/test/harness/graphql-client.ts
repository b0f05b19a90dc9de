// A plain HTTP GraphQL client, so tests exercise exactly what outside callers send.
export type GqlError = {
  message: string;
  extensions?: { code?: string; details?: Array<{ path: string; message: string }> };
};
export type GqlResponse<T = Record<string, any>> = { status: number; data?: T; errors?: GqlError[] };

export async function gql<T = Record<string, any>>(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
  headers: Record<string, string> = {},
): Promise<GqlResponse<T>> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: GqlError[] };
  return { status: res.status, ...body };
}

export const errorCode = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;

export type Session = { accessToken: string; refreshToken: string; user: { id: string; email: string; role: string } };

const AUTH_FIELDS = 'accessToken refreshToken user { id email role status }';

export async function register(baseUrl: string, email: string, password = 'password-123'): Promise<Session> {
  const res = await gql<{ register: Session }>(
    baseUrl,
    `mutation($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`,
    { input: { email, password } },
  );
  if (!res.data?.register) throw new Error(`register failed: ${JSON.stringify(res.errors)}`);
  return res.data.register;
}

export async function login(
  baseUrl: string,
  email: string,
  password: string,
): Promise<GqlResponse<{ login: Session }>> {
  return gql<{ login: Session }>(baseUrl, `mutation($input: LoginInput!) { login(input: $input) { ${AUTH_FIELDS} } }`, {
    input: { email, password },
  });
}
