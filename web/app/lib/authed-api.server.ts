import type { AnyVariables, TypedDocumentNode } from "@urql/core";
import { createApiClient, runOperation, type ApiOperation } from "./api-client.server";
import { describeApiError, isUnauthenticated, type ApiFailure } from "./api-errors";
import { commitSession, getSession, redirectToLogin, type AuthSession, type SessionData } from "./session.server";
import { refreshTokens, type RefreshOutcome } from "./token-refresh.server";

export type ApiResult<Data> = { data: Data; failure?: undefined } | { data?: undefined; failure: ApiFailure };

export type AuthedApi = {
  execute<Data, Variables extends AnyVariables>(
    kind: ApiOperation,
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
  ): Promise<ApiResult<Data>>;
  /** Set-Cookie for the rotated token pair; pass to the loader/action response. */
  headers(): Promise<Headers>;
  /** A new token pair the API issued to this user (e.g. after changePassword): used from now on and stored. */
  replaceTokens(tokens: SessionData): void;
  session: AuthSession;
};

class ApiUnavailable extends Error {}

const UNREACHABLE: ApiFailure = {
  code: "NETWORK",
  message: "The AlgoDatta API could not be reached. Please try again in a moment.",
  fieldErrors: {},
};

// API access for loaders/actions of a signed-in user. On UNAUTHENTICATED it refreshes the token pair
// once (rotation: the new pair is stored) and retries; if that fails the user is sent to /login.
// Throws a redirect Response when there is no usable session.
export async function requireAuthedApi(request: Request): Promise<AuthedApi> {
  const session = await getSession(request);
  const accessToken = session.get("accessToken");
  const refreshToken = session.get("refreshToken");
  if (!accessToken || !refreshToken) throw await redirectToLogin(request);

  let tokens: SessionData = { accessToken, refreshToken };
  let rotated = false;
  let refreshing: Promise<RefreshOutcome> | undefined;

  async function renewTokens(): Promise<void> {
    refreshing ??= refreshTokens(refreshToken as string);
    const outcome = await refreshing;
    if (outcome.kind === "unavailable") throw new ApiUnavailable();
    if (outcome.kind === "expired") throw await redirectToLogin(request, session, "expired");
    tokens = outcome.tokens;
    rotated = true;
    session.set("accessToken", tokens.accessToken);
    session.set("refreshToken", tokens.refreshToken);
  }

  async function execute<Data, Variables extends AnyVariables>(
    kind: ApiOperation,
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
  ): Promise<ApiResult<Data>> {
    let result = await runOperation(createApiClient(tokens.accessToken), kind, document, variables);
    if (isUnauthenticated(result.error)) {
      try {
        await renewTokens();
      } catch (error) {
        if (error instanceof ApiUnavailable) return { failure: UNREACHABLE };
        throw error;
      }
      // UNAUTHENTICATED means the operation did not run, so retrying a mutation cannot double it.
      result = await runOperation(createApiClient(tokens.accessToken), kind, document, variables);
      if (isUnauthenticated(result.error)) throw await redirectToLogin(request, session, "expired");
    }
    if (result.error || !result.data) {
      return { failure: result.error ? describeApiError(result.error) : UNREACHABLE };
    }
    return { data: result.data };
  }

  async function headers(): Promise<Headers> {
    const out = new Headers();
    if (rotated) out.append("Set-Cookie", await commitSession(session));
    return out;
  }

  function replaceTokens(next: SessionData): void {
    tokens = next;
    rotated = true;
    session.set("accessToken", next.accessToken);
    session.set("refreshToken", next.refreshToken);
  }

  return { execute, headers, replaceTokens, session };
}
